import { v1 } from './v1.js';

/** The one table of error codes, builder.proto's ErrorCode enum (core/wire.ts maps it to and from the wire). */
export const errorCodeEnum = v1.ErrorCode;

/** The stable error code names, from the one table in builder.proto. */
export type ErrorCode = Exclude<keyof typeof errorCodeEnum, 'ERROR_CODE_UNSPECIFIED'>;

/** An error with a stable code; every failure that crosses a module boundary is one of these. */
export class BuilderError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BuilderError';
    this.code = code;
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isBuilderError(err: unknown, code?: ErrorCode): err is BuilderError {
  return err instanceof BuilderError && (code === undefined || err.code === code);
}

/** Wraps anything thrown into a BuilderError, keeping a BuilderError as it is. */
export function asBuilderError(err: unknown, fallback: ErrorCode = 'INTERNAL'): BuilderError {
  if (err instanceof BuilderError) return err;
  if (err instanceof Error) {
    if (err.name === 'AbortError') return new BuilderError('CANCELLED', err.message, { cause: err });
    const errno = (err as NodeJS.ErrnoException).code;
    if (errno === 'ENOSPC') return new BuilderError('NO_SPACE', err.message, { cause: err });
    return new BuilderError(fallback, err.message, { cause: err });
  }
  return new BuilderError(fallback, String(err));
}
