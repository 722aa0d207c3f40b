import { ConnectionError } from '../errors';
import type { SseEvent } from './types';

/**
 * Incremental server-sent-events parser. Bytes go in as they arrive (chunk boundaries may fall
 * anywhere, even inside a UTF-8 sequence or between CR and LF); whole events come out.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private dataLines: string[] = [];
  private eventType: string | undefined;

  push(chunk: Uint8Array): SseEvent[] {
    return this.consume(this.decoder.decode(chunk, { stream: true }), false);
  }

  /** Call at the end of the body; a half-received event means the connection dropped mid-event. */
  end(): SseEvent[] {
    const events = this.consume(this.decoder.decode(), true);
    if (this.buffer !== '' || this.dataLines.length > 0) {
      throw new ConnectionError('The server closed the stream in the middle of an event. Try again.');
    }
    return events;
  }

  private consume(text: string, final: boolean): SseEvent[] {
    const buffer = this.buffer + text;
    const events: SseEvent[] = [];
    // Next CR and LF positions, each searched once per pass so a long buffer is scanned in linear time.
    let cr = buffer.indexOf('\r');
    let lf = buffer.indexOf('\n');
    let start = 0;
    while (cr >= 0 || lf >= 0) {
      const isCr = cr >= 0 && (lf < 0 || cr < lf);
      const end = isCr ? cr : lf;
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for more.
      if (isCr && end === buffer.length - 1 && !final) break;
      const event = this.line(buffer.slice(start, end));
      if (event) events.push(event);
      start = isCr && lf === end + 1 ? end + 2 : end + 1;
      if (cr >= 0 && cr < start) cr = buffer.indexOf('\r', start);
      if (lf >= 0 && lf < start) lf = buffer.indexOf('\n', start);
    }
    this.buffer = start === 0 ? buffer : buffer.slice(start);
    return events;
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
    return eventType === undefined ? { field: 'data', data } : { field: 'data', event: eventType, data };
  }
}
