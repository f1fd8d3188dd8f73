// builder-host convert REF --agent ADDR --volume DIR|IMAGE.ext4 --store DIR [--fallback host|none]
//   [--insecure] [--platform P] [--compression C] [--format erofs|ext4] [--timeout S] [--json] ...
// The fast path through the builder VM's agent, falling back to converting on the host.
import { parseCommand } from '../args.js';
import { convertAndRegister, type FallbackMode } from '../orchestrate.js';
import { CONVERSION_SPEC, prepareConversion } from './convert-output.js';

const SPEC = {
  ...CONVERSION_SPEC,
  agent: { type: 'string', required: true },
  volume: { type: 'string', required: true },
  fallback: { type: 'string', choices: ['host', 'none'] },
  'output-name': { type: 'string' },
  'dial-attempts': { type: 'string', integer: true },
  'resolve-first': { type: 'boolean' },
  'cleanup-volume': { type: 'boolean' },
} as const;

export async function convertCommand(argv: string[]): Promise<void> {
  const { options: flags, positionals } = parseCommand('convert', argv, SPEC, { min: 1, max: 1 });
  const fallback = (flags.fallback ?? 'host') as FallbackMode;
  const conversion = await prepareConversion(positionals[0]!, flags);
  const result = await convertAndRegister({
    ...conversion.options,
    agent: flags.agent,
    volume: flags.volume,
    fallback,
    ...(flags['output-name'] !== undefined && { outputName: flags['output-name'] }),
    ...(flags.timeout !== undefined && { timeoutMs: flags.timeout * 1000 }),
    ...(flags['dial-attempts'] !== undefined && { connect: { attempts: flags['dial-attempts'] } }),
    resolveFirst: flags['resolve-first'],
    cleanupVolume: flags['cleanup-volume'],
  });
  conversion.print(result);
}
