// The one way both bins report a failure: `{"error":{"code","message"}}` on
// stdout with --json, else `PROGRAM COMMAND: CODE: message` on stderr. The exit
// code is 2 for a usage error (INVALID_ARGUMENT), 1 for anything else.
import { asBuilderError } from '../proto/errors.js';

export function printFailure(who: string, err: unknown, json: boolean): number {
  const failure = asBuilderError(err);
  if (json) process.stdout.write(`${JSON.stringify({ error: failure.toJSON() })}\n`);
  else process.stderr.write(`${who}: ${failure.code}: ${failure.message}\n`);
  return failure.code === 'INVALID_ARGUMENT' ? 2 : 1;
}
