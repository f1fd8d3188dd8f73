// builder-host convert-local REF --store DIR ...: the host-side conversion
// alone: pull, apply, mkfs on this machine, then register.
import type { ParsedCommand } from '../../cli/args.js';
import { convertLocally } from '../orchestrate.js';
import { prepareConversion } from './convert-output.js';
import type { CONVERT_LOCAL_SPEC } from './specs.js';

export async function convertLocalCommand({ options, positionals }: ParsedCommand<typeof CONVERT_LOCAL_SPEC.options>): Promise<void> {
  const conversion = await prepareConversion(positionals[0]!, options);
  conversion.print(await convertLocally(conversion.options));
}
