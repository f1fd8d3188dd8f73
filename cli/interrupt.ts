import { BuilderError } from '../proto/errors.js';

/** An AbortSignal that fires on SIGINT/SIGTERM, so a cancelled command ends with CANCELLED and cleans up. */
export function signalOnInterrupt(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort(new BuilderError('CANCELLED', 'interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
