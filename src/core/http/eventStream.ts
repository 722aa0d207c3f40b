import type { Dispatcher } from 'undici';
import { ConnectionError } from '../errors';
import { AttemptFailure } from './attemptFailure';
import { decodedBody } from './replyBody';
import type { SseParser } from './sse';
import type { SseEvent } from './types';

/** What an event stream needs from the client that opened it. */
export interface EventSource {
  /** One attempt up to a 2xx event-stream response; failures are AttemptFailures. */
  open(): Promise<Dispatcher.ResponseData>;
  nextChunk(chunks: AsyncIterator<Uint8Array>): Promise<IteratorResult<Uint8Array>>;
  /** Milliseconds before the next attempt, or undefined to give up; `waitedMs` is the total waited so far. */
  retryWait(failure: AttemptFailure, retryIndex: number, waitedMs: number): number | undefined;
  sleep(ms: number): Promise<void>;
  /** A parser for one attempt's body (with the size limits). */
  parser(): SseParser;
  /** The stream is over (finished, failed or abandoned): release what the attempts held. */
  end(): void;
}

const DONE: IteratorResult<SseEvent> = { value: undefined, done: true };

/**
 * The events of one streamed request. Retries (re-opening the request) only until the first event
 * has been delivered. A hand-written iterator rather than an async generator: buffered events are
 * handed out without the generator's extra promise turns, which is most of a stream's overhead.
 */
export class SseEventStream implements AsyncIterableIterator<SseEvent> {
  private events: SseEvent[] = [];
  private index = 0;
  private response: Dispatcher.ResponseData | undefined;
  private chunks: AsyncIterator<Uint8Array> | undefined;
  private parser: SseParser;
  private delivered = false;
  private finished = false;
  private retryIndex = 0;
  private waitedMs = 0;

  constructor(private readonly source: EventSource) {
    this.parser = source.parser();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<SseEvent>> {
    const event = this.events[this.index];
    if (event === undefined) return this.fill();
    this.index++;
    this.delivered = true;
    return Promise.resolve({ value: event, done: false });
  }

  /** The consumer stopped early (break, cancel): drop the connection rather than read the rest. */
  async return(): Promise<IteratorResult<SseEvent>> {
    if (!this.finished) this.response?.body.destroy();
    this.finish();
    return DONE;
  }

  private async fill(): Promise<IteratorResult<SseEvent>> {
    while (!this.finished) {
      try {
        await this.read();
      } catch (error) {
        this.response?.body.destroy();
        this.chunks = undefined;
        await this.recover(error);
        continue;
      }
      if (this.finished) this.source.end();
      const event = this.events[this.index];
      if (event !== undefined) {
        this.index++;
        this.delivered = true;
        return { value: event, done: false };
      }
    }
    return DONE;
  }

  private async read(): Promise<void> {
    if (!this.chunks) {
      this.response = await this.source.open();
      this.chunks = decodedBody(this.response)[Symbol.asyncIterator]();
      this.parser = this.source.parser();
    }
    const next = await this.source.nextChunk(this.chunks);
    this.index = 0;
    if (!next.done) {
      this.events = this.parser.push(next.value);
      return;
    }
    this.events = endOfBody(this.parser);
    this.finished = true;
  }

  /** Waits for the next attempt, or ends the stream with the typed error. */
  private async recover(error: unknown): Promise<void> {
    const waitMs =
      error instanceof AttemptFailure && !this.delivered
        ? this.source.retryWait(error, this.retryIndex++, this.waitedMs)
        : undefined;
    if (waitMs === undefined) {
      this.finish();
      throw error instanceof AttemptFailure ? error.error : error;
    }
    this.waitedMs += waitMs;
    try {
      await this.source.sleep(waitMs);
    } catch (sleepError) {
      this.finish();
      throw sleepError;
    }
  }

  private finish(): void {
    this.finished = true;
    this.source.end();
  }
}

/** A half-received event at the end means the connection dropped: worth a retry if nothing was delivered. */
function endOfBody(parser: SseParser): SseEvent[] {
  try {
    return parser.end();
  } catch (error) {
    if (error instanceof ConnectionError) throw new AttemptFailure(error, true);
    throw error;
  }
}
