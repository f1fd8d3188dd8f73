#!/usr/bin/env node
import { command, dispatch, type Program } from '../cli/dispatch.js';
import { CONVERT_SPEC, INSPECT_SPEC, SERVE_SPEC } from './commands.js';

const AGENT: Program = {
  name: 'builder-agent',
  summary: 'turns a pushed OCI/Docker image into a read-only EROFS disk',
  commands: {
    serve: command(SERVE_SPEC, async () => {
      const [{ serve }, { pipelineConverter, probeCapabilities }] = await Promise.all([import('./server/serve-command.js'), import('./server/pipeline.js')]);
      return (args) => serve(args, { converter: pipelineConverter, capabilities: probeCapabilities });
    }),
    convert: command(CONVERT_SPEC, async () => (await import('./convert-command.js')).runConvert),
    inspect: command(INSPECT_SPEC, async () => (await import('./inspect.js')).runInspect),
  },
};

process.exitCode = await dispatch(AGENT, process.argv.slice(2));
