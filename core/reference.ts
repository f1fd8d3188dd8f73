// Image references as the distribution reference grammar defines them
// (github.com/distribution/reference), with Docker's normalisation:
// no domain means docker.io, a single docker.io path component gets
// `library/`, no tag and no digest means `latest`. The one parser of image
// references: the registry client, the orchestrator and the image store (whose
// names are derived from a parsed reference, host/store-name.ts) all use it.
import { BuilderError } from '../proto/errors.js';
import { isSha256Digest } from './digest.js';

export const DEFAULT_REGISTRY = 'docker.io';
export const DEFAULT_TAG = 'latest';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const MAX_NAME_LENGTH = 255;

export interface ImageReference {
  /** Registry host[:port] as written (normalised for docker.io), e.g. `127.0.0.1:5000`. */
  registry: string;
  /** Repository path inside the registry, e.g. `library/alpine`. */
  repository: string;
  /** The tag, when given (or `latest` when neither a tag nor a digest was given). */
  tag?: string;
  /** `sha256:<64 hex>`, when given; it wins over the tag. */
  digest?: string;
}

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_RE = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`,
);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^\w[\w.-]{0,127}$/;
const ANY_DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z][A-Za-z0-9]*)*:[0-9a-zA-Z=_-]+$/;

function invalid(input: string, why: string): BuilderError {
  return new BuilderError('INVALID_REFERENCE', `invalid image reference ${JSON.stringify(input)}: ${why}`);
}

/** Throws INVALID_REFERENCE unless `digest` is `sha256:` + 64 lowercase hex digits (the only algorithm accepted). */
function checkDigest(digest: string, input = digest): string {
  if (isSha256Digest(digest)) return digest;
  if (ANY_DIGEST_RE.test(digest) && !digest.startsWith('sha256:')) {
    throw invalid(input, `digest algorithm ${JSON.stringify(digest.split(':')[0])} is not supported (only sha256)`);
  }
  throw invalid(input, `digest ${JSON.stringify(digest)} is not sha256: followed by 64 lowercase hex digits`);
}

export function parseReference(input: string): ImageReference {
  if (input.length === 0) throw invalid(input, 'it is empty');
  if (input.startsWith('-')) throw invalid(input, 'it starts with "-" (an option, not an image)');
  if (/\s/.test(input)) throw invalid(input, 'it contains whitespace');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = checkDigest(rest.slice(at + 1), input);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw invalid(input, `tag ${JSON.stringify(tag)} does not match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
  }
  if (rest.length === 0) throw invalid(input, 'the repository name is empty');
  if (rest.length > MAX_NAME_LENGTH) throw invalid(input, `the name is longer than ${MAX_NAME_LENGTH} characters`);

  let { registry, repository } = splitRegistry(rest);
  if (!DOMAIN_RE.test(registry)) throw invalid(input, `registry ${JSON.stringify(registry)} is not a valid host[:port]`);
  if (registry === LEGACY_DEFAULT_REGISTRY) registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !repository.includes('/')) repository = `library/${repository}`;
  for (const component of repository.split('/')) {
    if (!PATH_COMPONENT_RE.test(component)) {
      const hint = /[A-Z]/.test(component) ? ' (repository names must be lowercase)' : '';
      throw invalid(input, `repository path component ${JSON.stringify(component)} is not valid${hint}`);
    }
  }
  if (tag === undefined && digest === undefined) tag = DEFAULT_TAG;
  return { registry, repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** Docker's rule: the first component is a registry when it has a `.` or `:`, or is `localhost`. */
function splitRegistry(name: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  if (slash === -1) return { registry: DEFAULT_REGISTRY, repository: name };
  const first = name.slice(0, slash);
  const looksLikeHost = /[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase();
  if (!looksLikeHost) return { registry: DEFAULT_REGISTRY, repository: name };
  return { registry: first, repository: name.slice(slash + 1) };
}

/** What the registry is asked for: the digest when the reference has one (it wins), else the tag. */
export function manifestRef(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? DEFAULT_TAG;
}

/** `registry/repository[:tag][@digest]`, fully qualified. */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}
