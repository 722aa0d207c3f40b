import { request, type Dispatcher } from 'undici';
import { CancelledError, InvalidResponseError } from '../errors';
import { createDispatcher } from './dispatcher';
import {
  DEFAULT_RETRY,
  MAX_RETRY_AFTER_MS,
  RETRYABLE_STATUSES,
  backoffDelayMs,
  parseRetryAfterMs,
  type RetrySettings,
} from './retryPolicy';
import { AttemptFailure } from './attemptFailure';
import { SseEventStream } from './eventStream';
import { invalidResponse, parseJsonReply } from './statusErrors';
import { transportFailure } from './transportErrors';
import type {
  CookieStore,
  HttpClientOptions,
  JsonRequest,
  Query,
  SseEvent,
  StreamRequest,
  TextRequest,
} from './types';

export const DEFAULT_TIMEOUTS = { connectMs: 10_000, headersMs: 305_000, bodyMs: 305_000 };

/** Seams for tests: a recorded sleep, a fixed random source, a given environment. */
export interface HttpClientHooks {
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  env?: NodeJS.ProcessEnv;
}

type AnyRequest = TextRequest | StreamRequest;

/**
 * The one HTTP client of the core: keep-alive pool, timeouts, proxy, retries with backoff, typed
 * errors, SSE streams. The token is sent only to the base URL's origin and never appears in errors.
 */
export class HttpClient {
  private readonly base: URL;
  /** Origin and path prefix of the base URL, without a trailing slash. */
  private readonly prefix: string;
  private readonly dispatcher: Dispatcher;
  private readonly retry: RetrySettings;
  private readonly fixedHeaders: Record<string, string>;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    private readonly options: HttpClientOptions,
    hooks: HttpClientHooks = {},
  ) {
    this.base = new URL(options.baseUrl);
    this.prefix = `${this.base.origin}${this.base.pathname.replace(/\/+$/, '')}`;
    this.dispatcher = createDispatcher(
      {
        ...DEFAULT_TIMEOUTS,
        ...options.timeouts,
        ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
      },
      hooks.env ?? process.env,
    );
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.fixedHeaders = withoutCredentials(options.headers ?? {});
    if (options.userAgent !== undefined) this.fixedHeaders['user-agent'] = options.userAgent;
    this.random = hooks.random ?? Math.random;
    this.sleep = hooks.sleep ?? abortableSleep;
  }

  /** The origin requests go to, safe to show (no credentials). */
  get origin(): string {
    return this.base.origin;
  }

  async json<T>(req: JsonRequest<T>): Promise<T> {
    const { status, bodyText } = await this.withRetries(req.signal, () =>
      this.fetchText(req, 'application/json'),
    );
    try {
      return parseJsonReply(bodyText, req.schema, status);
    } catch (error) {
      throw this.redactError(error);
    }
  }

  async text(req: TextRequest): Promise<string> {
    return (await this.withRetries(req.signal, () => this.fetchText(req, 'text/plain, */*'))).bodyText;
  }

  /** Server-sent events. Retried only until the first event has been delivered. */
  stream(req: StreamRequest): AsyncIterable<SseEvent> {
    return new SseEventStream({
      open: () => this.openStream(req),
      nextChunk: (chunks) => this.nextChunk(chunks, req.signal),
      retryWait: (failure, retryIndex) => this.retryWait(failure, retryIndex),
      sleep: (ms) => this.sleep(ms, req.signal),
    });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async withRetries<T>(signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    for (let retryIndex = 0; ; retryIndex++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        const waitMs = this.retryWait(error, retryIndex);
        if (waitMs === undefined) throw error.error;
        await this.sleep(waitMs, signal);
      }
    }
  }

  /** Milliseconds to wait before the next try, or undefined when not to retry. */
  private retryWait(failure: AttemptFailure, retryIndex: number): number | undefined {
    if (!failure.retryable || retryIndex >= this.retry.maxRetries) return undefined;
    if (failure.retryAfterMs !== undefined)
      return failure.retryAfterMs <= MAX_RETRY_AFTER_MS ? failure.retryAfterMs : undefined;
    return backoffDelayMs(retryIndex, this.retry, this.random);
  }

  private async fetchText(req: AnyRequest, accept: string): Promise<{ status: number; bodyText: string }> {
    const response = await this.send(req, accept);
    return { status: response.statusCode, bodyText: await this.readBody(response, req.signal) };
  }

  /** One attempt up to a 2xx status; anything else becomes an AttemptFailure. */
  private async send(req: AnyRequest, accept: string): Promise<Dispatcher.ResponseData> {
    if (req.signal?.aborted) throw new CancelledError();
    const { href, sameOrigin } = this.target(req.path, req.query);
    const headers: Record<string, string> = { ...this.fixedHeaders, accept };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.token && sameOrigin) headers.authorization = `Bearer ${this.options.token}`;
    const cookies = sameOrigin ? this.options.cookies : undefined;
    const cookie = cookies?.header(new URL(href));
    if (cookie !== undefined) headers.cookie = cookie;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(href, {
        method: req.method,
        headers,
        body: req.body === undefined ? null : JSON.stringify(req.body),
        dispatcher: this.dispatcher,
        ...(req.signal ? { signal: req.signal } : {}),
      });
    } catch (error) {
      throw this.transport(error, req.signal);
    }
    keepCookies(cookies, href, response.headers['set-cookie']);
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const bodyText = this.redact(await this.readBody(response, req.signal));
    const headersRecord = this.flattenHeaders(response.headers);
    const mapped = this.redactError(this.options.mapError(response.statusCode, bodyText, headersRecord));
    const retryAfterMs = parseRetryAfterMs(headersRecord['retry-after']);
    // An error the server will repeat (e.g. "Unsupported param") is not retried whatever its status.
    const retryable = RETRYABLE_STATUSES.has(response.statusCode) && mapped.kind !== 'unsupported';
    throw new AttemptFailure(mapped, retryable, retryAfterMs);
  }

  private async openStream(req: StreamRequest): Promise<Dispatcher.ResponseData> {
    const response = await this.send(req, 'text/event-stream');
    if (headerValue(response.headers['content-type'])?.includes('application/json')) {
      const bodyText = this.redact(await this.readBody(response, req.signal));
      throw new AttemptFailure(
        invalidResponse('a JSON reply where an event stream was asked for', bodyText, response.statusCode),
        false,
      );
    }
    return response;
  }

  private async readBody(
    response: Dispatcher.ResponseData,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    try {
      return await response.body.text();
    } catch (error) {
      throw this.transport(error, signal);
    }
  }

  private async nextChunk(
    chunks: AsyncIterator<Uint8Array>,
    signal: AbortSignal | undefined,
  ): Promise<IteratorResult<Uint8Array>> {
    try {
      return await chunks.next();
    } catch (error) {
      throw this.transport(error, signal);
    }
  }

  private transport(error: unknown, signal: AbortSignal | undefined): AttemptFailure {
    const failure = transportFailure(error, this.base.origin, signal);
    return new AttemptFailure(this.redactError(failure.error), failure.retryable);
  }

  /** The request URL as a string (undici parses strings fastest), and whether it is the base URL's origin. */
  private target(path: string, query: Query | undefined): { href: string; sameOrigin: boolean } {
    let href: string;
    let sameOrigin = true;
    if (/^[a-z][a-z\d+.-]*:/i.test(path)) {
      const absolute = new URL(path);
      href = absolute.href;
      sameOrigin = absolute.origin === this.base.origin;
    } else {
      href = `${this.prefix}${path.startsWith('/') ? path : `/${path}`}`;
    }
    if (query) {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(query))
        if (value !== undefined) search.set(key, String(value));
      const text = search.toString();
      if (text) href += `${href.includes('?') ? '&' : '?'}${text}`;
    }
    return { href, sameOrigin };
  }

  private flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const text = headerValue(value);
      if (text !== undefined) flat[name.toLowerCase()] = this.redact(text);
    }
    return flat;
  }

  private redact(text: string): string {
    const token = this.options.token;
    return token && text.includes(token) ? text.split(token).join('[redacted]') : text;
  }

  /** Last line of defence: no error built from server text may carry the token. */
  private redactError<E>(error: E): E {
    const token = this.options.token;
    if (!token || !(error instanceof Error)) return error;
    if (error instanceof InvalidResponseError && error.rawBody.includes(token)) {
      return new InvalidResponseError(
        this.redact(error.message),
        this.redact(error.rawBody),
        error.status,
      ) as E;
    }
    if (error.message.includes(token)) error.message = this.redact(error.message);
    return error;
  }
}

function keepCookies(
  cookies: CookieStore | undefined,
  href: string,
  setCookie: string | string[] | undefined,
): void {
  if (!cookies || setCookie === undefined) return;
  cookies.store(new URL(href), Array.isArray(setCookie) ? setCookie : [setCookie]);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Extra headers may never carry credentials; the token goes only through `token`. */
function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower !== 'authorization' && lower !== 'x-api-key') kept[lower] = value;
  }
  return kept;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
