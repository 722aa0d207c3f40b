import type { z } from 'zod';
import type { PromptLensError } from '../errors';

/** Turns a non-2xx reply into the backend's typed error (each backend knows its error body). */
export type ErrorMapper = (
  status: number,
  bodyText: string,
  headers: Record<string, string>,
) => PromptLensError;

export interface HttpClientOptions {
  /** Base URL including any path prefix (e.g. `https://api.aleph-alpha.com` or `http://127.0.0.1:8080`). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`, and only to `baseUrl`'s origin. Never logged. */
  token?: string;
  userAgent?: string;
  headers?: Record<string, string>;
  timeouts?: HttpTimeouts;
  /** Explicit proxy URL; when absent, HTTPS_PROXY / HTTP_PROXY (and NO_PROXY) from the environment. */
  proxy?: string;
  retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number; maxTotalMs?: number };
  network?: NetworkOptions;
  mapError: ErrorMapper;
  /** Cookies sent to and kept from the base URL's origin only (see cookieJar.ts). */
  cookies?: CookieStore;
}

/** What the client needs of a cookie jar: the header to send, and where to keep what came back. */
export interface CookieStore {
  header(url: URL): string | undefined;
  store(url: URL, setCookie: readonly string[]): void;
}

export interface HttpTimeouts {
  /** Connecting: TCP, TLS and any proxy tunnel. */
  connectMs?: number;
  /**
   * Until the status line and headers of a reply that should start at once: a GET (probe, model
   * listing) or a stream, whose server starts sending before it has generated everything.
   */
  firstByteMs?: number;
  /** Until the status line and headers of a POST answered only when the whole work is done. */
  headersMs?: number;
  /** Idle: between two pieces of the body. */
  bodyMs?: number;
  /** Overall, per attempt: connect, proxy tunnel, headers and the whole body. */
  attemptMs?: number;
}

/** Proxy routing beyond the proxy URL, and the size limits of replies. */
export interface NetworkOptions {
  /** Hosts that bypass the proxy (VS Code's `http.noProxy`), NO_PROXY syntax. */
  noProxy?: readonly string[];
  /** Send loopback targets through the proxy too (default: never). */
  proxyLoopback?: boolean;
  /** No proxy at all, not even from the environment (VS Code's `http.proxySupport: off`). */
  proxyOff?: boolean;
  /**
   * Check certificates on connections through a proxy (VS Code's `http.proxyStrictSSL`, default
   * true). False accepts any certificate there, for proxies that intercept HTTPS; direct
   * connections are always checked.
   */
  proxyStrictSSL?: boolean;
  limits?: { maxReplyBytes?: number; maxEventBytes?: number };
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface JsonRequest<T> {
  method: 'GET' | 'POST';
  path: string;
  query?: Query;
  body?: unknown;
  /** Every reply is parsed with zod; a mismatch is an InvalidResponseError keeping the raw body. */
  schema: z.ZodType<T>;
  signal?: AbortSignal;
}

export interface StreamRequest {
  method: 'POST';
  path: string;
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * One server-sent event. `field` is `data` for `data:` lines; old llama.cpp servers also send a
 * line `error: {...}` mid-stream, delivered with field `error` (a standard SSE parser drops it).
 */
export interface SseEvent {
  field: 'data' | 'error';
  event?: string;
  data: string;
}

/** A request whose reply is plain text (e.g. Aleph Alpha's `GET /version`). */
export interface TextRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}
