import { TimeoutError } from '../errors';

/**
 * One overall deadline for one attempt of a request: connect, proxy tunnel, headers and the whole
 * body. The idle timeouts catch a silent server; this catches one that trickles forever.
 */
export class AttemptDeadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private hasExpired = false;

  constructor(
    private readonly ms: number,
    userSignal?: AbortSignal,
  ) {
    this.signal = userSignal ? AbortSignal.any([userSignal, this.controller.signal]) : this.controller.signal;
    this.timer = setTimeout(() => {
      this.hasExpired = true;
      this.controller.abort();
    }, ms);
  }

  get expired(): boolean {
    return this.hasExpired;
  }

  error(origin: string): TimeoutError {
    const seconds = Math.round(this.ms / 100) / 10;
    return new TimeoutError(
      `${origin} did not finish answering within ${seconds} s, the deadline of one request. Try again, or raise the deadline (promptLens.http.deadlineSeconds, CLI --deadline).`,
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
