/** When and how long to wait before trying a request again. */

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

export interface RetrySettings {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** All waits of one request together; a retry that would pass this is not made. */
  maxTotalMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxTotalMs: 90_000,
};

/** A server asking for a longer wait than this is not retried; the caller gets the error instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^retryIndex)). */
export function backoffDelayMs(
  retryIndex: number,
  settings: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` as milliseconds: delta seconds (RFC 9110: digits only) or an HTTP date (which names
 * a weekday or month). Undefined when absent or unreadable, so `-5`, `soon` or `1e9999` fall back to
 * the ordinary backoff; how long is too long is the retry loop's decision.
 */
export function parseRetryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 64) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const ms = Math.round(Number(trimmed) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
