// `builder-agent serve` exactly as the CLI runs it (same argument parsing, listeners,
// signals), with the test converter injected in place of the pipeline.
import { runServe } from '../../dist/agent/server/serve-command.js';
import { testConverter } from './test-converter.mjs';

process.exitCode = await runServe(process.argv.slice(2), {
  converter: testConverter,
  capabilities: { erofsUtilsVersion: '1.5', compressions: ['lz4', 'lz4hc', 'none'], formats: [1] },
});
