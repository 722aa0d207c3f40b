import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConnectionError, ReplyTooLargeError } from '../../../../src/core/errors';
import { SseParser } from '../../../../src/core/http/sse';
import type { SseEvent } from '../../../../src/core/http/types';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function parseChunks(chunks: Uint8Array[]): SseEvent[] {
  const parser = new SseParser();
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
}

function splitAt(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(data.subarray(start, point));
    start = point;
  }
  chunks.push(data.subarray(start));
  return chunks;
}

describe('SseParser', () => {
  it('delivers data events, with their event type when given', () => {
    assert.deepEqual(parseChunks([bytes('data: {"a":1}\n\nevent: done\ndata: x\n\n')]), [
      { field: 'data', data: '{"a":1}' },
      { field: 'data', event: 'done', data: 'x' },
    ]);
  });

  it('joins multi-line data with newlines and keeps a value without the optional space', () => {
    assert.deepEqual(parseChunks([bytes('data: one\ndata:two\ndata:  three\n\n')]), [
      { field: 'data', data: 'one\ntwo\n three' },
    ]);
  });

  it('ignores comments, id and retry lines, and blank lines without data', () => {
    assert.deepEqual(parseChunks([bytes(': keep-alive\n\nid: 7\nretry: 100\n\ndata: x\n\n')]), [
      { field: 'data', data: 'x' },
    ]);
  });

  it('accepts CRLF and lone CR line endings, even with CR and LF in different chunks', () => {
    assert.deepEqual(
      parseChunks([bytes('data: a\r\n\r\ndata: b\r\rdata: c\r'), bytes('\n\r'), bytes('\n')]),
      [
        { field: 'data', data: 'a' },
        { field: 'data', data: 'b' },
        { field: 'data', data: 'c' },
      ],
    );
  });

  it('delivers data: [DONE] as an ordinary event', () => {
    assert.deepEqual(parseChunks([bytes('data: {}\n\ndata: [DONE]\n\n')]), [
      { field: 'data', data: '{}' },
      { field: 'data', data: '[DONE]' },
    ]);
  });

  it("delivers an old llama.cpp 'error:' line as an error event", () => {
    assert.deepEqual(
      parseChunks([bytes('data: {"content":"a"}\n\nerror: {"content":"slot unavailable"}\n\n')]),
      [
        { field: 'data', data: '{"content":"a"}' },
        { field: 'error', data: '{"content":"slot unavailable"}' },
      ],
    );
  });

  it('decodes a UTF-8 sequence split between chunks, byte by byte', () => {
    const text = 'data: {"text":"кипеди 🦙 é"}\n\n';
    const encoded = bytes(text);
    const oneByteChunks = [...encoded].map((byte) => Uint8Array.of(byte));
    assert.deepEqual(parseChunks(oneByteChunks), [{ field: 'data', data: '{"text":"кипеди 🦙 é"}' }]);
  });

  it('gives the same events for any chunking of the same bytes', () => {
    const stream = bytes(
      'data: {"t":"ä🦙"}\r\n\r\nevent: e\ndata: a\ndata: b\n\n: c\nerror: {"x":1}\n\ndata: [DONE]\n\n',
    );
    const whole = parseChunks([stream]);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
        assert.deepEqual(parseChunks(splitAt(stream, cuts)), whole);
      }),
    );
  });

  it('throws a ConnectionError when the body ends in the middle of an event', () => {
    assert.throws(() => parseChunks([bytes('data: {"a":1}\n\ndata: {"b"')]), ConnectionError);
    assert.throws(() => parseChunks([bytes('data: {"a":1}\n')]), ConnectionError);
  });

  it('ends cleanly after a complete event', () => {
    assert.deepEqual(parseChunks([bytes('data: a\n\n')]), [{ field: 'data', data: 'a' }]);
    assert.deepEqual(parseChunks([]), []);
  });

  it('joins a line that spans many chunks, and stops a line or an event over the limit at the limit', () => {
    const parser = new SseParser(1000);
    const pieces = Array.from({ length: 9 }, (_, i) => bytes(i === 0 ? 'data: ' : 'x'.repeat(100)));
    assert.deepEqual(
      pieces.flatMap((piece) => parser.push(piece)),
      [],
    );
    assert.deepEqual(parser.push(bytes('\n\n')), [{ field: 'data', data: 'x'.repeat(800) }]);
    // One endless line: fails once the unfinished part passes the limit, not at the end.
    const endless = new SseParser(1000);
    endless.push(bytes(`data: ${'y'.repeat(900)}`));
    assert.throws(() => endless.push(bytes('y'.repeat(200))), ReplyTooLargeError);
    // Many short data lines making one huge event.
    const many = new SseParser(1000);
    assert.throws(() => many.push(bytes('data: zzzzzzzzz\n'.repeat(200))), ReplyTooLargeError);
  });
});
