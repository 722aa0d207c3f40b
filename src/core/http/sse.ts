import { ConnectionError, ReplyTooLargeError } from '../errors';
import { DEFAULT_REPLY_LIMITS, formatBytes } from './replyBody';
import type { SseEvent } from './types';

/**
 * Incremental server-sent-events parser. Bytes go in as they arrive (chunk boundaries may fall
 * anywhere, even inside a UTF-8 sequence or between CR and LF); whole events come out. Each chunk is
 * scanned once: the unfinished line is kept as parts and joined only when its end arrives, so one
 * long line costs linear time; a line or an event longer than the limit fails at the limit.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  /** Parts of the line not ended yet, and their total length. */
  private partial: string[] = [];
  private partialLength = 0;
  /** The last chunk ended with CR: an LF at the start of the next one belongs to it. */
  private afterCr = false;
  private dataLines: string[] = [];
  private dataLength = 0;
  private eventType: string | undefined;

  constructor(private readonly maxEventChars: number = DEFAULT_REPLY_LIMITS.maxEventBytes) {}

  push(chunk: Uint8Array): SseEvent[] {
    return this.consume(this.decoder.decode(chunk, { stream: true }));
  }

  /** Call at the end of the body; a half-received event means the connection dropped mid-event. */
  end(): SseEvent[] {
    const events = this.consume(this.decoder.decode());
    if (this.partialLength > 0 || this.dataLines.length > 0) {
      throw new ConnectionError('The server closed the stream in the middle of an event. Try again.');
    }
    return events;
  }

  private consume(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    if (this.afterCr && text.length > 0) {
      if (text.charCodeAt(0) === 10) start = 1;
      this.afterCr = false;
    }
    // Next CR and LF positions, each searched once per pass: the text is scanned in linear time.
    let cr = text.indexOf('\r', start);
    let lf = text.indexOf('\n', start);
    while (cr >= 0 || lf >= 0) {
      const isCr = cr >= 0 && (lf < 0 || cr < lf);
      const end = isCr ? cr : lf;
      const event = this.line(this.takeLine(text, start, end));
      if (event) events.push(event);
      if (isCr && end === text.length - 1) this.afterCr = true;
      start = isCr && lf === end + 1 ? end + 2 : end + 1;
      if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
      if (lf >= 0 && lf < start) lf = text.indexOf('\n', start);
    }
    if (start < text.length) {
      this.partial.push(start === 0 ? text : text.slice(start));
      this.partialLength += text.length - start;
      if (this.partialLength > this.maxEventChars) this.tooLarge();
    }
    return events;
  }

  private takeLine(text: string, start: number, end: number): string {
    const tail = text.slice(start, end);
    if (this.partialLength + tail.length > this.maxEventChars) this.tooLarge();
    if (this.partial.length === 0) return tail;
    this.partial.push(tail);
    const line = this.partial.join('');
    this.partial = [];
    this.partialLength = 0;
    return line;
  }

  private tooLarge(): never {
    this.partial = [];
    this.partialLength = 0;
    throw new ReplyTooLargeError(
      `The server sent a stream event larger than ${formatBytes(this.maxEventChars)}, the most Prompt Lens reads. Check the server, or raise the limit (promptLens.http.maxEventMB, CLI --max-event-mb).`,
      this.maxEventChars,
    );
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.dataLength += value.length + 1;
        if (this.dataLength > this.maxEventChars) this.tooLarge();
        this.dataLines.push(value);
        return undefined;
      case 'event':
        this.eventType = value;
        return undefined;
      case 'error':
        // Old llama.cpp servers report a mid-stream failure as a bare `error: {...}` line.
        return { field: 'error', data: value };
      default:
        return undefined;
    }
  }

  private dispatch(): SseEvent | undefined {
    const eventType = this.eventType;
    this.eventType = undefined;
    if (this.dataLines.length === 0) return undefined;
    const data = this.dataLines.join('\n');
    this.dataLines = [];
    this.dataLength = 0;
    return eventType === undefined ? { field: 'data', data } : { field: 'data', event: eventType, data };
  }
}
