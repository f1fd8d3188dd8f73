// Which stream of a layer's pipeline failed first. A failure spreads: pipeline()
// destroys every stage with the first error, and the consumer sees whichever
// stage it reads from. The report must name the cause (a blob whose digest did
// not match is DIGEST_MISMATCH, not the decoder's "unexpected end of file"),
// so every stage is watched from the moment it exists; watching is also each
// stage's 'error' listener, so no stage can ever emit an unhandled 'error'.
import type { Stream } from 'node:stream';

export type FailureOrigin = 'input' | 'decoder';

export class FirstFailure {
  private first: { error: unknown; origin: FailureOrigin } | undefined;

  /** Attach before the stream is read or handed on: from then on its errors are recorded, never unhandled. */
  watch(stream: Stream, origin: FailureOrigin): void {
    stream.on('error', (error: unknown) => {
      // "Premature close" is what a stage reports when another one was torn down: a consequence, never the cause.
      if (this.first === undefined && (error as NodeJS.ErrnoException)?.code !== 'ERR_STREAM_PREMATURE_CLOSE') this.first = { error, origin };
    });
  }

  /** The input's error if the input failed first. */
  get inputError(): unknown {
    return this.first?.origin === 'input' ? this.first.error : undefined;
  }

  /** The first error of any stage. */
  get error(): unknown {
    return this.first?.error;
  }
}
