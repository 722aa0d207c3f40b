/**
 * Reading a reply body within bounds: content encodings undone (gzip, deflate, br) and the decoded
 * size capped while reading, so a huge or endless reply fails at the cap instead of filling memory.
 */
import { pipeline, Readable, type Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import type { Dispatcher } from 'undici';
import { InvalidResponseError, ReplyTooLargeError } from '../errors';

export interface ReplyLimits {
  /** A whole non-streamed reply, after decoding. */
  maxReplyBytes: number;
  /** One line (and one event) of an event stream. */
  maxEventBytes: number;
}

const MB = 1024 * 1024;
export const DEFAULT_REPLY_LIMITS: ReplyLimits = { maxReplyBytes: 64 * MB, maxEventBytes: 4 * MB };

/** Layers of content encoding undone at most; a real server uses one. */
const MAX_ENCODINGS = 2;

export function formatBytes(bytes: number): string {
  return bytes >= MB && bytes % MB === 0
    ? `${bytes / MB} MB`
    : bytes >= MB
      ? `${(bytes / MB).toFixed(1)} MB`
      : `${bytes} bytes`;
}

export function replyTooLarge(limitBytes: number): ReplyTooLargeError {
  return new ReplyTooLargeError(
    `The server's reply is larger than ${formatBytes(limitBytes)}, the most Prompt Lens reads; reading stopped there. Check the request (fewer tokens or items), or raise the limit (promptLens.http.maxReplyMB, CLI --max-reply-mb).`,
    limitBytes,
  );
}

/** The body's bytes as the server meant them: content encodings undone, in order. */
export function decodedBody(response: Dispatcher.ResponseData): AsyncIterable<Uint8Array> {
  const encodings = contentEncodings(response.headers['content-encoding']);
  const body = response.body as AsyncIterable<Uint8Array>;
  if (encodings.length === 0) return body;
  if (encodings.length > MAX_ENCODINGS) throw unreadableEncoding(encodings.join(', '));
  const decoders = encodings.reverse().map(decoderFor);
  // pipeline hands errors on to the last stream, which the reader iterates (and destroys all on early exit).
  const streams = [Readable.from(body), ...decoders] as unknown as [Readable, Transform];
  const last = pipeline(streams, () => undefined) as Transform;
  return mapErrors(last, encodings);
}

/** A whole reply as text, never holding more than `maxBytes` decoded bytes. */
export async function readBoundedText(response: Dispatcher.ResponseData, maxBytes: number): Promise<string> {
  const announced = headerText(response.headers['content-length']);
  const length = /^\d+$/.test(announced) ? Number(announced) : undefined;
  // Fast path: a plain body whose announced length fits (undici refuses more bytes than announced).
  if (length !== undefined && contentEncodings(response.headers['content-encoding']).length === 0) {
    if (length > maxBytes) {
      response.body.destroy();
      throw replyTooLarge(maxBytes);
    }
    return response.body.text();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of decodedBody(response)) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      response.body.destroy();
      throw replyTooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function contentEncodings(header: string | string[] | undefined): string[] {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '' && part !== 'identity');
}

function decoderFor(encoding: string): Transform {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      throw unreadableEncoding(encoding);
  }
}

function unreadableEncoding(encoding: string): InvalidResponseError {
  return new InvalidResponseError(
    `The server sent its reply encoded as "${encoding}", which Prompt Lens cannot decode (it reads gzip, deflate and br). Check the server or proxy configuration.`,
    '',
  );
}

async function* mapErrors(decoded: Transform, encodings: string[]): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of decoded as AsyncIterable<Uint8Array>) yield chunk;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_'))
      throw new InvalidResponseError(
        `The server's reply says it is ${encodings.join(' + ')}-encoded but could not be decoded (${code}). Check the server or proxy configuration.`,
        '',
      );
    throw error;
  } finally {
    decoded.destroy();
  }
}
