import { EventEmitter } from 'node:events';
import { TimeoutError } from '../errors';
import { secondsText } from './transportErrors';

/**
 * What undici listens to for aborting a request: an EventEmitter with `aborted` is accepted like an
 * AbortSignal and costs far less per request (EventTarget listeners are slow in Node).
 */
class AbortEmitter extends EventEmitter {
  aborted = false;
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

/**
 * One overall deadline for one attempt of a request: connect, proxy tunnel, headers and the whole
 * body. The idle timeouts catch a silent server; this catches one that trickles forever. The
 * caller's own cancellation is forwarded to the same signal.
 */
export class AttemptDeadline {
  readonly signal = new AbortEmitter();
  private readonly timer: NodeJS.Timeout;
  private hasExpired = false;
  private readonly forward: (() => void) | undefined;

  constructor(
    private readonly ms: number,
    private readonly userSignal?: AbortSignal,
  ) {
    if (userSignal?.aborted) this.signal.abort();
    else if (userSignal) {
      this.forward = () => this.signal.abort();
      userSignal.addEventListener('abort', this.forward, { once: true });
    }
    this.timer = setTimeout(() => {
      this.hasExpired = true;
      this.signal.abort();
    }, ms);
  }

  get expired(): boolean {
    return this.hasExpired;
  }

  error(origin: string): TimeoutError {
    return new TimeoutError(
      `${origin} did not finish answering within ${secondsText(this.ms)}, the deadline of one request. Try again, or raise the deadline (promptLens.http.deadlineSeconds, CLI --deadline).`,
      'deadline',
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (this.forward) this.userSignal?.removeEventListener('abort', this.forward);
  }
}
