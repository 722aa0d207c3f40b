import { CancelledError, ConnectionError, PromptLensError, TimeoutError } from '../errors';

/** A failure below HTTP (no status): connect, socket, timeout, abort. */
export interface TransportFailure {
  error: PromptLensError;
  /** Connection-level failures are worth another try; timeouts after connecting are not. */
  retryable: boolean;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Node wraps some socket errors (e.g. AggregateError for dual-stack connect failures).
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : codeOf(cause);
}

/** Maps an error thrown by undici (or Node's net layer) to a typed error. `origin` is safe to show. */
export function transportFailure(
  error: unknown,
  origin: string,
  signal: AbortSignal | undefined,
): TransportFailure {
  if (error instanceof PromptLensError) return { error, retryable: false };
  if (signal?.aborted) return { error: new CancelledError(), retryable: false };
  const code = codeOf(error);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return {
        error: new TimeoutError(
          `Could not connect to ${origin} in time. Check the URL, the network and any proxy.`,
        ),
        retryable: true,
      };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return {
        error: new TimeoutError(
          `${origin} did not start answering in time. Try again, or raise the timeout in the settings.`,
        ),
        retryable: false,
      };
    case 'UND_ERR_BODY_TIMEOUT':
      return {
        error: new TimeoutError(
          `${origin} stopped sending in the middle of its reply. Try again, or raise the timeout in the settings.`,
        ),
        retryable: false,
      };
  }
  if (code === 'ECONNREFUSED') {
    return {
      error: new ConnectionError(
        `Could not connect to ${origin}: connection refused. Is the server running?`,
      ),
      retryable: true,
    };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      error: new ConnectionError(`Could not find the host of ${origin}. Check the URL.`),
      retryable: true,
    };
  }
  if (code !== undefined && CONNECTION_CODES.has(code)) {
    return {
      error: new ConnectionError(`The connection to ${origin} was lost (${code}). Try again.`),
      retryable: true,
    };
  }
  const detail = error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 200) : String(error);
  return { error: new ConnectionError(`Could not talk to ${origin}: ${detail}`), retryable: false };
}
