import { request, type Dispatcher } from 'undici';
import { CancelledError, PromptLensError } from '../errors';
import { scrubError } from '../secrets';
import { AttemptDeadline } from './attemptDeadline';
import { AttemptFailure } from './attemptFailure';
import { DispatcherRouter } from './dispatcher';
import { SseEventStream } from './eventStream';
import { DEFAULT_REPLY_LIMITS, readBoundedText, type ReplyLimits } from './replyBody';
import {
  DEFAULT_RETRY,
  MAX_RETRY_AFTER_MS,
  RETRYABLE_STATUSES,
  backoffDelayMs,
  parseRetryAfterMs,
  type RetrySettings,
} from './retryPolicy';
import { SseParser } from './sse';
import { invalidResponse, parseJsonReply } from './statusErrors';
import { transportFailure } from './transportErrors';
import type {
  CookieStore,
  HttpClientOptions,
  HttpTimeouts,
  JsonRequest,
  Query,
  SseEvent,
  StreamRequest,
  TextRequest,
} from './types';

export const DEFAULT_TIMEOUTS = {
  connectMs: 15_000,
  firstByteMs: 15_000,
  headersMs: 305_000,
  bodyMs: 305_000,
  attemptMs: 900_000,
};

/** Seams for tests: a recorded sleep, a fixed random source, a given environment. */
export interface HttpClientHooks {
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  env?: NodeJS.ProcessEnv;
  /** Extra trusted certificate authority (PEM), for tests of HTTPS through a tunnel. */
  ca?: string;
}

type AnyRequest = TextRequest | StreamRequest;

/**
 * The one HTTP client of the core: keep-alive pool, timeouts and a deadline per attempt, proxy
 * routing, retries with bounded backoff, bounded reads, typed errors, SSE streams. The token is sent
 * only to the base URL's origin and is scrubbed from every error built here.
 */
export class HttpClient {
  private readonly base: URL;
  /** Origin and path prefix of the base URL, without a trailing slash. */
  private readonly prefix: string;
  private readonly router: DispatcherRouter;
  private readonly retry: RetrySettings;
  private readonly limits: ReplyLimits;
  private readonly attemptMs: number;
  private readonly waits: Required<Omit<HttpTimeouts, 'attemptMs'>>;
  private readonly fixedHeaders: Record<string, string>;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    private readonly options: HttpClientOptions,
    hooks: HttpClientHooks = {},
  ) {
    this.base = new URL(options.baseUrl);
    this.prefix = `${this.base.origin}${this.base.pathname.replace(/\/+$/, '')}`;
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.attemptMs = timeouts.attemptMs;
    this.waits = timeouts;
    const network = options.network ?? {};
    this.router = new DispatcherRouter(
      {
        ...timeouts,
        ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
        ...(network.noProxy === undefined ? {} : { noProxy: network.noProxy }),
        ...(network.proxyLoopback === undefined ? {} : { proxyLoopback: network.proxyLoopback }),
        ...(network.proxyOff === undefined ? {} : { proxyOff: network.proxyOff }),
        ...(network.proxyStrictSSL === undefined ? {} : { proxyStrictSSL: network.proxyStrictSSL }),
      },
      hooks.env ?? process.env,
      hooks.ca,
    );
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.limits = { ...DEFAULT_REPLY_LIMITS, ...network.limits };
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
    const { status, bodyText, html } = await this.withRetries(req.signal, () =>
      this.fetchText(req, 'application/json'),
    );
    try {
      if (html) throw invalidResponse('an HTML page, not JSON', bodyText, status);
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
    let deadline: AttemptDeadline | undefined;
    const end = (): void => {
      deadline?.dispose();
      deadline = undefined;
    };
    return new SseEventStream({
      open: async () => {
        end();
        deadline = new AttemptDeadline(this.attemptMs, req.signal);
        return this.openStream(req, deadline);
      },
      nextChunk: (chunks) => this.nextChunk(chunks, req.signal, deadline),
      retryWait: (failure, retryIndex, waitedMs) => this.retryWait(failure, retryIndex, waitedMs),
      sleep: (ms) => this.sleep(ms, req.signal),
      parser: () => new SseParser(this.limits.maxEventBytes),
      end,
    });
  }

  async close(): Promise<void> {
    await this.router.close();
  }

  private async withRetries<T>(signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    let waitedMs = 0;
    for (let retryIndex = 0; ; retryIndex++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        const waitMs = this.retryWait(error, retryIndex, waitedMs);
        if (waitMs === undefined) throw error.error;
        waitedMs += waitMs;
        await this.sleep(waitMs, signal);
      }
    }
  }

  /**
   * Milliseconds to wait before the next try, or undefined when not to retry. A server's Retry-After
   * is honoured within bounds: never sooner than the base delay, never past the longest wait, and all
   * waits of one request together stay under the retry budget.
   */
  private retryWait(failure: AttemptFailure, retryIndex: number, waitedMs: number): number | undefined {
    if (!failure.retryable || retryIndex >= this.retry.maxRetries) return undefined;
    let waitMs: number;
    if (failure.retryAfterMs !== undefined) {
      if (failure.retryAfterMs > MAX_RETRY_AFTER_MS) return undefined;
      waitMs = Math.max(failure.retryAfterMs, this.retry.baseDelayMs);
    } else {
      waitMs = backoffDelayMs(retryIndex, this.retry, this.random);
    }
    return waitedMs + waitMs > this.retry.maxTotalMs ? undefined : waitMs;
  }

  private async fetchText(
    req: AnyRequest,
    accept: string,
  ): Promise<{ status: number; bodyText: string; html: boolean }> {
    const deadline = new AttemptDeadline(this.attemptMs, req.signal);
    try {
      const response = await this.send(req, accept, deadline);
      const html = isHtml(response.headers['content-type']);
      return {
        status: response.statusCode,
        bodyText: await this.readBody(response, req.signal, deadline),
        html,
      };
    } finally {
      deadline.dispose();
    }
  }

  /** One attempt up to a 2xx status; anything else becomes an AttemptFailure. */
  private async send(
    req: AnyRequest,
    accept: string,
    deadline: AttemptDeadline,
  ): Promise<Dispatcher.ResponseData> {
    if (req.signal?.aborted) throw new CancelledError();
    const { href, sameOrigin } = this.target(req.path, req.query);
    const headers: Record<string, string> = { ...this.fixedHeaders, accept };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.token && sameOrigin) headers.authorization = `Bearer ${this.options.token}`;
    const cookies = sameOrigin ? this.options.cookies : undefined;
    const cookie = cookies?.header(new URL(href));
    if (cookie !== undefined) headers.cookie = cookie;
    // A GET or a stream should start at once: a silent server is caught by the short first-byte wait.
    // Other POSTs are answered when the whole work is done, so their headers may take the generation's time.
    const firstByte = req.method === 'GET' || accept === 'text/event-stream';
    let response: Dispatcher.ResponseData;
    try {
      response = await request(href, {
        method: req.method,
        headers,
        body: req.body === undefined ? null : JSON.stringify(req.body),
        dispatcher: this.router.dispatcherFor(href),
        signal: deadline.signal,
        headersTimeout: firstByte ? this.waits.firstByteMs : this.waits.headersMs,
      });
    } catch (error) {
      throw this.transport(error, req.signal, deadline, firstByte);
    }
    keepCookies(cookies, href, response.headers['set-cookie']);
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const bodyText = this.redact(await this.readBody(response, req.signal, deadline, true));
    const headersRecord = this.flattenHeaders(response.headers);
    const mapped = this.redactError(this.options.mapError(response.statusCode, bodyText, headersRecord));
    const retryAfterMs = parseRetryAfterMs(headersRecord['retry-after']);
    // An error the server will repeat (e.g. "Unsupported param") is not retried whatever its status.
    const retryable = RETRYABLE_STATUSES.has(response.statusCode) && mapped.kind !== 'unsupported';
    throw new AttemptFailure(mapped, retryable, retryAfterMs);
  }

  private async openStream(req: StreamRequest, deadline: AttemptDeadline): Promise<Dispatcher.ResponseData> {
    const response = await this.send(req, 'text/event-stream', deadline);
    const contentType = headerValue(response.headers['content-type']);
    const unexpected = contentType?.includes('application/json')
      ? 'a JSON reply where an event stream was asked for'
      : isHtml(contentType)
        ? 'the server answered with an HTML page, not an event stream; is a proxy or login page in the way?'
        : undefined;
    if (unexpected !== undefined) {
      const bodyText = this.redact(await this.readBody(response, req.signal, deadline, true));
      throw new AttemptFailure(invalidResponse(unexpected, bodyText, response.statusCode), false);
    }
    return response;
  }

  /** The body within the reply cap; an error reply is read only up to what a message needs. */
  private async readBody(
    response: Dispatcher.ResponseData,
    signal: AbortSignal | undefined,
    deadline: AttemptDeadline,
    errorReply = false,
  ): Promise<string> {
    try {
      return await readBoundedText(response, errorReply ? MAX_ERROR_BODY_BYTES : this.limits.maxReplyBytes);
    } catch (error) {
      if (errorReply && error instanceof PromptLensError && error.kind === 'invalid-response') return '';
      throw this.transport(error, signal, deadline);
    }
  }

  private async nextChunk(
    chunks: AsyncIterator<Uint8Array>,
    signal: AbortSignal | undefined,
    deadline: AttemptDeadline | undefined,
  ): Promise<IteratorResult<Uint8Array>> {
    try {
      return await chunks.next();
    } catch (error) {
      throw this.transport(error, signal, deadline);
    }
  }

  private transport(
    error: unknown,
    signal: AbortSignal | undefined,
    deadline?: AttemptDeadline,
    firstByte = false,
  ): AttemptFailure {
    if (deadline?.expired && !signal?.aborted)
      return new AttemptFailure(deadline.error(this.base.origin), false);
    const { connectMs, bodyMs } = this.waits;
    const headersMs = firstByte ? this.waits.firstByteMs : this.waits.headersMs;
    const failure = transportFailure(error, this.base.origin, signal, {
      connectMs,
      headersMs,
      bodyMs,
      firstByte,
    });
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
    return scrubError(text, [this.options.token]);
  }

  /** Errors built here from server text lose the token at once (the backend guard does it again on the way out). */
  private redactError<E>(error: E): E {
    return scrubError(error, [this.options.token]);
  }
}

/** An error reply is read for its message; a megabyte is more than any real one. */
const MAX_ERROR_BODY_BYTES = 1024 * 1024;

function isHtml(contentType: string | string[] | undefined): boolean {
  return /\btext\/html\b|application\/xhtml/i.test(headerValue(contentType) ?? '');
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
