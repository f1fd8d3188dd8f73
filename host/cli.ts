#!/usr/bin/env node
import { command, dispatch, type Program } from '../cli/dispatch.js';
import { CONVERT_LOCAL_SPEC, CONVERT_SPEC, IMAGES_SPEC, PUSH_SPEC, REGISTER_SPEC } from './commands/specs.js';

const HOST: Program = {
  name: 'builder-host',
  summary: "asks a builder VM's agent for an EROFS disk and registers it",
  commands: {
    convert: command(CONVERT_SPEC, async () => (await import('./commands/convert.js')).convertCommand),
    'convert-local': command(CONVERT_LOCAL_SPEC, async () => (await import('./commands/convert-local.js')).convertLocalCommand),
    register: command(REGISTER_SPEC, async () => (await import('./commands/register.js')).registerCommand),
    images: command(IMAGES_SPEC, async () => (await import('./commands/images.js')).imagesCommand),
    push: command(PUSH_SPEC, async () => (await import('./commands/push.js')).pushCommand),
  },
  notes: `convert falls back to converting on the host (like convert-local) when any step of the agent's
path fails, unless --fallback none; the output says which path made the image and why.
`,
};

process.exitCode = await dispatch(HOST, process.argv.slice(2));
