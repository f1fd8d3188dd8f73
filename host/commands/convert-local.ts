// builder-host convert-local REF --store DIR [--insecure] [--platform P] [--compression C]
//   [--format erofs|ext4] [--timeout S] [--json] ...
// The host-side conversion alone: pull, apply, mkfs on this machine, then register.
import { parseCommand } from '../args.js';
import { convertLocally } from '../orchestrate.js';
import { CONVERSION_SPEC, prepareConversion } from './convert-output.js';

export async function convertLocalCommand(argv: string[]): Promise<void> {
  const { options: flags, positionals } = parseCommand('convert-local', argv, CONVERSION_SPEC, { min: 1, max: 1 });
  const conversion = await prepareConversion(positionals[0]!, flags);
  conversion.print(await convertLocally(conversion.options));
}
