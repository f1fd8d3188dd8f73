// Image names as the store files them: `[registry/]repository[:tag][@sha256:hex]`
// (distribution-spec grammar), and the directory path an image's repository
// becomes under STORE/images. Only names that cannot escape or collide with the
// store's own entries become directories.
import { BuilderError } from '../proto/errors.js';

export interface ImageName {
  /** Lowercased registry host[:port]; undefined when the name has none. */
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** `registry/repository` (or `repository`), used as the directory path under STORE/images. */
  repoPath: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Directory names the store uses inside a repository directory. */
const RESERVED_COMPONENT = /^(?:tags|[a-f0-9]{64})$/;
const MAX_NAME_LENGTH = 255;

function invalid(name: string, why: string): BuilderError {
  return new BuilderError('INVALID_REFERENCE', `image name ${JSON.stringify(name.slice(0, 300))}: ${why}`);
}

export function parseImageName(name: string): ImageName {
  let rest = name;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(name, 'the digest is not sha256:<64 lowercase hex>');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(name, `bad tag '${tag}'`);
  }
  const parts = rest.split('/');
  let registry: string | undefined;
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    if (!DOMAIN.test(first)) throw invalid(name, `bad registry '${first}'`);
    registry = first.toLowerCase();
    parts.shift();
  }
  if (parts.length === 0 || rest.length > MAX_NAME_LENGTH) throw invalid(name, 'bad repository length');
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) throw invalid(name, `bad repository component '${part}' (lowercase a-z 0-9 and . _ - separators only)`);
    if (RESERVED_COMPONENT.test(part)) throw invalid(name, `repository component '${part}' is reserved by the image store`);
  }
  const repository = parts.join('/');
  return { registry, repository, tag, digest, repoPath: registry ? `${registry}/${repository}` : repository };
}

/** The canonical text of a parsed name. */
export function formatImageName(name: ImageName): string {
  return `${name.repoPath}${name.tag ? `:${name.tag}` : ''}${name.digest ? `@${name.digest}` : ''}`;
}
