import { CancelledError } from './errors';

/**
 * `promise`, or a CancelledError as soon as `signal` aborts. For work shared by several callers
 * (a server probe): each caller stops waiting on its own signal, and no one caller's abort cancels
 * the work for the others.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
