#!/usr/bin/env node
import { reportFailure, wantsJson } from './args.js';
import { dispatch, type Program } from './subcommands.js';
import { CONVERT_USAGE, INSPECT_USAGE, SERVE_USAGE } from './usage.js';

const AGENT: Program = {
  name: 'builder-agent',
  summary: 'turns a pushed OCI/Docker image into a read-only EROFS disk',
  commands: {
    serve: {
      usage: SERVE_USAGE,
      load: async () => {
        const [{ runServe }, { pipelineConverter, probeCapabilities }] = await Promise.all([import('./server/serve-command.js'), import('./server/pipeline.js')]);
        return (argv) => runServe(argv, { converter: pipelineConverter, capabilities: probeCapabilities });
      },
    },
    convert: { usage: CONVERT_USAGE, load: async () => (await import('./convert-command.js')).runConvert },
    inspect: { usage: INSPECT_USAGE, load: async () => (await import('./inspect.js')).runInspect },
  },
};

process.exitCode = await dispatch(AGENT, process.argv.slice(2)).catch((err: unknown) => reportFailure(err, wantsJson(process.argv)));
