// The error-code table is a wire contract (Go orchestrators switch on the
// numbers, CLIs and scripts on the names): pinned here, so renumbering or
// renaming a code fails a test. Adding a code means appending it here too.
import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent } from '../proto/builder.js';
import { asBuilderError, BuilderError, type ErrorCode } from '../proto/errors.js';
import { v1 } from '../proto/v1.js';
import { errorCodeFromWire, errorCodeToWire } from '../core/wire.js';

const STABLE: Record<ErrorCode, number> = {
  INTERNAL: 1,
  INVALID_ARGUMENT: 2,
  INVALID_REFERENCE: 10,
  NOT_FOUND: 11,
  UNAUTHORIZED: 12,
  REGISTRY_ERROR: 13,
  MANIFEST_INVALID: 14,
  MANIFEST_TOO_LARGE: 15,
  PLATFORM_NOT_FOUND: 16,
  UNSUPPORTED_MEDIA_TYPE: 17,
  DIGEST_MISMATCH: 18,
  UNSAFE_PATH: 30,
  INVALID_LAYER: 31,
  TRUNCATED: 32,
  SIZE_LIMIT: 33,
  NO_SPACE: 40,
  MKFS_FAILED: 41,
  UNSUPPORTED_FORMAT: 42,
  BUSY: 50,
  CANCELLED: 51,
  TIMEOUT: 52,
  PROTOCOL_ERROR: 53,
  FRAME_TOO_LARGE: 54,
  VERSION_MISMATCH: 55,
  AGENT_UNAVAILABLE: 56,
  PATH_REJECTED: 70,
  NOT_REGULAR: 71,
  BAD_SUPERBLOCK: 72,
  SIZE_MISMATCH: 73,
  JOURNALED_VOLUME: 74,
  STORE_ERROR: 80,
};

describe('error codes', () => {
  it('keep their names and numbers (builder.proto ErrorCode)', () => {
    const table = Object.fromEntries(Object.entries(v1.ErrorCode).filter(([name]) => Number.isNaN(Number(name)) && name !== 'ERROR_CODE_UNSPECIFIED'));
    expect(table).toEqual(STABLE);
    expect(v1.ErrorCode.ERROR_CODE_UNSPECIFIED).toBe(0);
  });

  it('every code crosses the wire in an Error event and comes back as its name', () => {
    for (const code of Object.keys(STABLE) as ErrorCode[]) {
      const event = decodeEvent(encodeEvent({ error: { code: errorCodeToWire(code), message: code } }));
      expect(errorCodeFromWire(event.error?.code ?? 0)).toBe(code);
    }
  });

  it('a number the table does not have (a newer agent) reads as INTERNAL, never undefined', () => {
    expect(errorCodeFromWire(0)).toBe('INTERNAL');
    expect(errorCodeFromWire(999)).toBe('INTERNAL');
  });

  it('asBuilderError keeps a BuilderError, maps ENOSPC and aborts, and falls back to the given code', () => {
    const own = new BuilderError('TRUNCATED', 'x');
    expect(asBuilderError(own)).toBe(own);
    expect(asBuilderError(Object.assign(new Error('disk full'), { code: 'ENOSPC' })).code).toBe('NO_SPACE');
    expect(asBuilderError(Object.assign(new Error('stop'), { name: 'AbortError' })).code).toBe('CANCELLED');
    expect(asBuilderError(new Error('odd'), 'INVALID_LAYER')).toMatchObject({ code: 'INVALID_LAYER', message: 'odd' });
    expect(asBuilderError('a string')).toMatchObject({ code: 'INTERNAL', message: 'a string' });
  });
});
