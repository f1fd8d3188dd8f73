// How the image store files an image: the directory path and the name it
// records, derived from a parsed reference (core/reference.ts, the one parser).
//   STORE/images/<registry>/<repository>/<manifest digest hex>/   the entry
//   STORE/images/<registry>/<repository>/tags/<tag>               a tag of the repository
import { sha256Hex, SHA256_HEX } from '../core/digest.js';
import { formatReference, type ImageReference } from '../core/reference.js';
import { BuilderError } from '../proto/errors.js';

export interface StoreName {
  /** `registry/repository`, the registry host lowercased: the entry's repository directory under STORE/images. */
  repoPath: string;
  /** The tag to point at the entry, when the name has one (a digest wins over a tag, as in a pull). */
  tag?: string;
  /** The manifest digest's hex: the entry's directory in the repository. */
  digestHex: string;
  /** What metadata.json records: `repoPath:tag`, `repoPath@digest` or `repoPath` alone. */
  text: string;
}

/** Directory names the store uses inside a repository directory. */
export const TAGS_DIR = 'tags';

/**
 * The store name of the image `manifestDigest` under `reference`. A reference with a
 * digest is filed under it and points no tag; its digest must be `manifestDigest`
 * (INVALID_ARGUMENT otherwise). A reference with neither tag nor digest is filed under
 * its repository alone. A repository component the store uses for itself (`tags`, or
 * 64 hex digits like an entry) cannot be filed: INVALID_REFERENCE.
 */
export function storeName(reference: ImageReference, manifestDigest: string): StoreName {
  const digestHex = sha256Hex(manifestDigest, 'manifest digest');
  for (const component of reference.repository.split('/')) {
    if (component === TAGS_DIR || SHA256_HEX.test(component)) {
      throw new BuilderError('INVALID_REFERENCE', `image ${formatReference(reference)}: repository component '${component}' is reserved by the image store`);
    }
  }
  if (reference.digest !== undefined && reference.digest !== manifestDigest) {
    throw new BuilderError('INVALID_ARGUMENT', `image ${formatReference(reference)} names another digest than the manifest ${manifestDigest}`);
  }
  const repoPath = `${reference.registry.toLowerCase()}/${reference.repository}`;
  if (reference.digest !== undefined) return { repoPath, digestHex, text: `${repoPath}@${reference.digest}` };
  if (reference.tag !== undefined) return { repoPath, digestHex, tag: reference.tag, text: `${repoPath}:${reference.tag}` };
  return { repoPath, digestHex, text: repoPath };
}
