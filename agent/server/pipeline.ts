// The real converter behind `builder-agent serve`: a ConvertJob from the wire
// becomes a convertImage() call, its result a protocol Result.
import { mkdir, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DiskFormat } from '../../core/disk-format.js';
import { defaultOutputName } from '../../core/output-name.js';
import { formatFromWire, formatToWire, progressToWire } from '../../core/wire.js';
import { BuilderError } from '../../proto/errors.js';
import type { IRegistryOptions } from '../../proto/builder.js';
import { convertImage, type ConvertImageOptions, type ConvertImageResult } from '../convert.js';
import { probeDiskTools } from '../disk/index.js';
import type { ResolvedImage } from '../oci/types.js';
import { toResultMessage } from '../result.js';
import { resolveOutputPath } from './output-name.js';
import type { AgentCapabilities, Converter, ConvertJob } from './types.js';

export const pipelineConverter: Converter = async (job) => {
  const request = job.request;
  const format = formatFromWire(request.format);
  if (format === undefined) throw new BuilderError('UNSUPPORTED_FORMAT', `disk format ${request.format} is not one this agent knows`);
  const parents = new CreatedParents(job.outputDir);
  try {
    const result = await convertWith(job, format, parents);
    return toResultMessage(result, job.outputDir);
  } catch (err) {
    await parents.remove();
    throw err;
  }
};

function convertWith(job: ConvertJob, format: DiskFormat, parents: CreatedParents): Promise<ConvertImageResult> {
  const request = job.request;
  return convertImage({
    reference: request.image_ref,
    registry: registryOptions(request.registry),
    ...(request.platform !== '' && { platform: request.platform }),
    ...(request.compression !== '' && { compression: request.compression }),
    format,
    outputPath: async (image: ResolvedImage) => parents.create(job.outputPath ?? (await resolveOutputPath(job.outputDir, defaultOutputName(image.manifestDigest, format)))),
    ...(job.workDir !== undefined && { workDir: job.workDir }),
    ...(request.size_limit_bytes > 0 && { sizeLimitBytes: request.size_limit_bytes }),
    signal: job.signal,
    onProgress: (p) => job.progress(progressToWire(p)),
    onLog: (level, message) => job.log(level, message),
  });
}

/**
 * Creates the missing directories between the output dir and a disk path (already
 * checked to stay inside it), and removes exactly those again when the conversion
 * fails: a failed conversion leaves nothing in the volume.
 */
class CreatedParents {
  private readonly created: string[] = [];

  constructor(private readonly outputDir: string) {}

  async create(diskPath: string): Promise<string> {
    const missing: string[] = [];
    for (let dir = dirname(diskPath); dir !== this.outputDir && dir.startsWith(`${this.outputDir}/`); dir = dirname(dir)) missing.unshift(dir);
    for (const dir of missing) {
      try {
        await mkdir(dir, { mode: 0o755 });
        this.created.push(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    return diskPath;
  }

  async remove(): Promise<void> {
    for (const dir of this.created.reverse()) await rmdir(dir).catch(() => undefined);
  }
}

function registryOptions(options: IRegistryOptions | null | undefined): NonNullable<ConvertImageOptions['registry']> {
  if (!options) return {};
  return {
    insecure: options.insecure === true,
    ...(options.username ? { username: options.username } : {}),
    ...(options.password ? { password: options.password } : {}),
    ...(options.bearer_token ? { bearerToken: options.bearer_token } : {}),
    ...(options.ca_pem ? { caPem: options.ca_pem } : {}),
  };
}

/** What the agent announces in its hello, from the installed tools. */
export async function probeCapabilities(): Promise<AgentCapabilities> {
  const tools = await probeDiskTools();
  return {
    erofsUtilsVersion: tools.erofs.version,
    compressions: tools.compressions,
    formats: tools.formats.map(formatToWire),
  };
}
