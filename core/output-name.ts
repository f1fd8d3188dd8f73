// Output names: where a disk lands, relative to the source volume (the agent's
// output directory). One rule for the caller's --output-name, checked on the
// host before anything is dialed and again by the agent, and for the path the
// agent answers, checked by the host before it touches the volume.
import { BuilderError } from '../proto/errors.js';
import { sha256Hex } from './digest.js';
import type { DiskFormat } from './disk-format.js';

const MAX_NAME_BYTES = 1024;
const MAX_COMPONENT_BYTES = 255;
// C0 controls, DEL, C1 controls; backslash (a separator to some readers); U+FFFD
// (a wire string that was not valid UTF-8: the name on disk is not the one we
// would open); lone surrogates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_CHAR = /[\u0000-\u001f\u007f-\u009f\\\ufffd]|\p{Surrogate}/u;

/**
 * Checks an output name and returns its components. Accepted: relative, '/'-separated,
 * canonical (no empty, '.' or '..' component), no control character, backslash, U+FFFD or
 * lone surrogate, no component starting with '-' (it would read as an option to the tools
 * that handle the file), at most 1024 bytes and 255 per component. A name that would escape
 * (absolute, a '..' component) is PATH_REJECTED, any other bad name INVALID_ARGUMENT.
 */
export function checkOutputName(name: unknown): string[] {
  if (typeof name !== 'string') throw new BuilderError('INVALID_ARGUMENT', 'output name is not a string');
  if (name.length === 0) throw new BuilderError('INVALID_ARGUMENT', 'output name is empty');
  const shown = JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}...` : name);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw new BuilderError('INVALID_ARGUMENT', `output name ${shown} is longer than ${MAX_NAME_BYTES} bytes`);
  if (name.startsWith('/')) throw new BuilderError('PATH_REJECTED', `output name ${shown} is absolute`);
  const bad = FORBIDDEN_CHAR.exec(name);
  if (bad) throw new BuilderError('INVALID_ARGUMENT', `output name ${shown} contains the forbidden character U+${bad[0].codePointAt(0)!.toString(16).padStart(4, '0')}`);
  const components = name.split('/');
  for (const component of components) {
    if (component === '..') throw new BuilderError('PATH_REJECTED', `output name ${shown} has a '..' component`);
    if (component === '' || component === '.') throw new BuilderError('INVALID_ARGUMENT', `output name ${shown} has an empty or '.' component`);
    if (component.startsWith('-')) throw new BuilderError('INVALID_ARGUMENT', `output name ${shown} has a component starting with '-'`);
    if (Buffer.byteLength(component) > MAX_COMPONENT_BYTES) {
      throw new BuilderError('INVALID_ARGUMENT', `output name ${shown} has a component longer than ${MAX_COMPONENT_BYTES} bytes`);
    }
  }
  return components;
}

/** The name a disk gets when the request names none: its manifest digest's hex and the format. */
export function defaultOutputName(manifestDigest: string, format: DiskFormat): string {
  return `${sha256Hex(manifestDigest, 'manifest digest')}.${format}`;
}
