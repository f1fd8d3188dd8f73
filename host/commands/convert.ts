// builder-host convert REF --agent ADDR --volume DIR|IMAGE.ext4 --store DIR ...:
// the fast path through the builder VM's agent, falling back to converting on the host.
import type { ParsedCommand } from '../../cli/args.js';
import { convertAndRegister, type FallbackMode } from '../orchestrate.js';
import { prepareConversion } from './convert-output.js';
import type { CONVERT_SPEC } from './specs.js';

export async function convertCommand({ options: flags, positionals }: ParsedCommand<typeof CONVERT_SPEC.options>): Promise<void> {
  const conversion = await prepareConversion(positionals[0]!, flags);
  const result = await convertAndRegister({
    ...conversion.options,
    agent: flags.agent,
    volume: flags.volume,
    fallback: (flags.fallback ?? 'host') as FallbackMode,
    ...(flags['output-name'] !== undefined && { outputName: flags['output-name'] }),
    ...(flags.timeout !== undefined && { timeoutMs: flags.timeout }),
    ...(flags['dial-attempts'] !== undefined && { connect: { attempts: flags['dial-attempts'] } }),
    resolveFirst: flags['resolve-first'],
    cleanupVolume: flags['cleanup-volume'],
  });
  conversion.print(result);
}
