// The conversion engine as the host sees it: agent/convert.ts's convertImage,
// run on the host for the fallback path and `convert-local`. The orchestrator
// takes it as a dependency (`convertImage` option), so only the CLI and the
// tests import the pipeline itself.
import type { ConvertImageOptions, ConvertImageResult, ConvertProgress, LogLevelName } from '../agent/convert.js';

export type ConvertImageFn = (options: ConvertImageOptions) => Promise<ConvertImageResult>;
export type EngineLogLevel = LogLevelName;
/** Registry access as the engine's resolver takes it (agent/oci/registry.ts). */
export type EngineRegistryOptions = NonNullable<ConvertImageOptions['registry']>;
/** Progress of a conversion from either path; the agent's proto Progress is mapped to this. */
export type ProgressUpdate = ConvertProgress;
