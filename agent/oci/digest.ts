// A pass-through stream that checks a digest (and optionally a byte count)
// while the bytes flow.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import { BuilderError } from '../../proto/errors.js';

export interface DigestExpectation {
  /** `sha256:<hex>` the bytes must hash to. */
  digest: string;
  /** Exact byte count, when known (a descriptor's `size`). Exceeding it fails at once. */
  size?: number;
  /** Names the content in error messages, e.g. `layer 2 blob sha256:...`. */
  label: string;
}

/**
 * Passes bytes through unchanged and fails with DIGEST_MISMATCH instead of
 * ending when the bytes do not hash to `digest` or their count is not `size`.
 * 'end' is only ever emitted after the check passed, so a consumer that sees
 * 'end' (or `finished()` resolving) has verified content; a consumer that
 * sees 'error' must discard everything it derived from the bytes.
 */
export class DigestVerifier extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  constructor(
    private readonly expected: DigestExpectation,
    options: Pick<TransformOptions, 'readableHighWaterMark'> = {},
  ) {
    super(options);
    if (!expected.digest.startsWith('sha256:')) {
      throw new BuilderError('DIGEST_MISMATCH', `${expected.label}: unsupported digest ${expected.digest} (only sha256)`);
    }
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.count;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    const { size, label } = this.expected;
    if (size !== undefined && this.count > size) {
      callback(new BuilderError('DIGEST_MISMATCH', `${label}: more bytes than the ${size} its descriptor declares`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const { size, digest, label } = this.expected;
    if (size !== undefined && this.count !== size) {
      callback(new BuilderError('DIGEST_MISMATCH', `${label}: ended after ${this.count} of ${size} bytes`));
      return;
    }
    const actual = `sha256:${this.hash.digest('hex')}`;
    if (actual !== digest) {
      callback(new BuilderError('DIGEST_MISMATCH', `${label}: content hashes to ${actual}, expected ${digest}`));
      return;
    }
    callback();
  }
}
