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

/** The waits in force for one request, named in a timeout's message. */
export interface TimeoutContext {
  connectMs: number;
  /** The wait for the headers of this request, and whether it was the short first-byte one. */
  headersMs: number;
  firstByte: boolean;
  bodyMs: number;
}

/** Seconds as a person reads them: `15 s`, `0.5 s`. */
export function secondsText(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

export const CONNECT_TIMEOUT_KNOB = 'promptLens.http.connectTimeoutSeconds, CLI --connect-timeout';
export const GENERATION_TIMEOUT_KNOB = 'promptLens.http.timeoutSeconds, CLI --timeout';

/** A timeout's error: which wait fired, and the setting (and CLI flag) that changes it. */
function timeoutError(code: string, origin: string, waits: TimeoutContext): TimeoutError | undefined {
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new TimeoutError(
        `Could not connect to ${origin} within ${secondsText(waits.connectMs)} (the connect timeout: ${CONNECT_TIMEOUT_KNOB}). Check the URL, the network and any proxy.`,
        'connect',
      );
    case 'UND_ERR_HEADERS_TIMEOUT':
      return waits.firstByte
        ? new TimeoutError(
            `${origin} accepted the connection but sent nothing within ${secondsText(waits.headersMs)} (the connect timeout: ${CONNECT_TIMEOUT_KNOB}). Is the server stuck or overloaded? Try again, or raise that timeout for a slow server.`,
            'first-byte',
          )
        : new TimeoutError(
            `${origin} did not start answering within ${secondsText(waits.headersMs)} (the generation timeout: ${GENERATION_TIMEOUT_KNOB}). Try again, or raise that timeout.`,
            'headers',
          );
    case 'UND_ERR_BODY_TIMEOUT':
      return new TimeoutError(
        `${origin} stopped sending for ${secondsText(waits.bodyMs)} in the middle of its reply (the generation timeout: ${GENERATION_TIMEOUT_KNOB}). Try again, or raise that timeout.`,
        'body',
      );
  }
  return undefined;
}

/** Maps an error thrown by undici (or Node's net layer) to a typed error. `origin` is safe to show. */
export function transportFailure(
  error: unknown,
  origin: string,
  signal: AbortSignal | undefined,
  waits: TimeoutContext,
): TransportFailure {
  if (error instanceof PromptLensError) return { error, retryable: false };
  if (signal?.aborted) return { error: new CancelledError(), retryable: false };
  const code = codeOf(error);
  const timeout = code === undefined ? undefined : timeoutError(code, origin, waits);
  // A connect timeout is worth another try; a server that accepted and then went silent is not.
  if (timeout) return { error: timeout, retryable: timeout.phase === 'connect' };
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
