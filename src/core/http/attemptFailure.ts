import type { PromptLensError } from '../errors';

/** One failed attempt of a request; the retry loop decides whether to try again. */
export class AttemptFailure extends Error {
  constructor(
    readonly error: PromptLensError,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(error.message);
  }
}
