/**
 * Typed errors of the core. Every message says what happened and what to do next; none ever
 * contains an API token. Built by the HTTP layer from status and body (see http/), or by a backend.
 */
export type ErrorKind =
  | 'authentication'
  | 'quota'
  | 'rate-limit'
  | 'busy'
  | 'not-found'
  | 'bad-request'
  | 'context-overflow'
  | 'timeout'
  | 'connection'
  | 'invalid-response'
  | 'unsupported'
  | 'cancelled'
  | 'server'
  /** A `.prompt` file with errors: it is not sent. */
  | 'template'
  /** No usable profile, or a setting that cannot be used as it is. */
  | 'configuration'
  /** A command line the CLI cannot run. */
  | 'usage';

/** Failures another try may cure: a timeout, a lost connection, a rate limit, a busy server. */
const RETRYABLE_KINDS: ReadonlySet<string> = new Set(['timeout', 'connection', 'rate-limit', 'busy']);

export function isRetryableKind(kind: string | undefined): boolean {
  return kind !== undefined && RETRYABLE_KINDS.has(kind);
}

export class PromptLensError extends Error {
  override readonly name: string = 'PromptLensError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export class AuthenticationError extends PromptLensError {
  override readonly name = 'AuthenticationError';
  constructor(
    message = 'The server rejected the API token. Set a valid token for this profile ("Prompt Lens: Set API Key").',
    status = 401,
  ) {
    super('authentication', message, status);
  }
}

export class QuotaError extends PromptLensError {
  override readonly name = 'QuotaError';
  constructor(
    message = 'Your account has no credits left. Top up your balance or use another profile.',
    status = 402,
  ) {
    super('quota', message, status);
  }
}

export class RateLimitError extends PromptLensError {
  override readonly name = 'RateLimitError';
  constructor(
    message = 'Too many requests: the server asks you to slow down. Wait a moment and try again.',
    status = 429,
    readonly retryAfterMs?: number,
  ) {
    super('rate-limit', message, status);
  }
}

export class BusyError extends PromptLensError {
  override readonly name = 'BusyError';
  constructor(
    message = 'The server is busy or the model is not loaded yet. Try again in a moment.',
    status = 503,
  ) {
    super('busy', message, status);
  }
}

export class NotFoundError extends PromptLensError {
  override readonly name = 'NotFoundError';
  constructor(message = 'Not found: check the server URL and the model name of this profile.', status = 404) {
    super('not-found', message, status);
  }
}

export class BadRequestError extends PromptLensError {
  override readonly name = 'BadRequestError';
  constructor(
    readonly serverMessage: string,
    status = 400,
  ) {
    super(
      'bad-request',
      `The server rejected the request: ${serverMessage}. Check the prompt and its parameters.`,
      status,
    );
  }
}

export class ContextOverflowError extends PromptLensError {
  override readonly name = 'ContextOverflowError';
  constructor(
    readonly serverMessage: string,
    status = 400,
    readonly promptTokens?: number,
    readonly contextSize?: number,
  ) {
    super(
      'context-overflow',
      `The prompt does not fit the model's context${promptTokens !== undefined && contextSize !== undefined ? ` (${promptTokens} tokens, context ${contextSize})` : ''}. Shorten the prompt or lower the maximum tokens.`,
      status,
    );
  }
}

export class TimeoutError extends PromptLensError {
  override readonly name = 'TimeoutError';
  constructor(
    message = 'The server did not answer in time. Try again, or raise the timeout in the settings.',
    /** Which wait ran out, where the client knows it. */
    readonly phase?: TimeoutPhase,
  ) {
    super('timeout', message);
  }
}

/**
 * `connect`: TCP, TLS or proxy tunnel; `first-byte`: the headers of a reply that should start at once;
 * `headers`: the headers of a reply sent when the work is done; `body`: silence within a reply;
 * `deadline`: one attempt's overall deadline.
 */
export type TimeoutPhase = 'connect' | 'first-byte' | 'headers' | 'body' | 'deadline';

export class ConnectionError extends PromptLensError {
  override readonly name = 'ConnectionError';
  constructor(message: string) {
    super('connection', message);
  }
}

export class InvalidResponseError extends PromptLensError {
  override readonly name = 'InvalidResponseError';
  constructor(
    message: string,
    /** The body as received, for the log; never shown in full to the user. */
    readonly rawBody: string,
    status?: number,
  ) {
    super('invalid-response', message, status);
  }
}

/** A reply (or one event of a stream) larger than Prompt Lens reads; reading stopped at the limit. */
export class ReplyTooLargeError extends PromptLensError {
  override readonly name = 'ReplyTooLargeError';
  constructor(
    message: string,
    readonly limitBytes: number,
  ) {
    super('invalid-response', message);
  }
}

export class ServerError extends PromptLensError {
  override readonly name = 'ServerError';
  constructor(message: string, status = 500) {
    super('server', message, status);
  }
}

export class UnsupportedError extends PromptLensError {
  override readonly name = 'UnsupportedError';
  constructor(
    message: string,
    /** Another profile kind that can do it on this server (e.g. `llama-cpp` for a llama.cpp server). */
    readonly suggestedKind?: 'llama-cpp',
    status?: number,
  ) {
    super('unsupported', message, status);
  }
}

export class CancelledError extends PromptLensError {
  override readonly name = 'CancelledError';
  constructor(message = 'Cancelled.') {
    super('cancelled', message);
  }
}

export function isCancellation(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError');
}

/** The message of anything thrown: an error's own message, else its text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The kind of anything thrown, or undefined. Errors may cross from a bundle whose classes are not
 * the caller's (the extension's shell and its feature bundle), so they are told apart by `kind`.
 */
export function kindOf(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'kind' in error && typeof error.kind === 'string')
    return error.kind;
  return undefined;
}

/** One line for a log or a notice: the message, with its kind when it has one. */
export function describeError(error: unknown): string {
  const kind = kindOf(error);
  return kind ? `${messageOf(error)} (${kind})` : messageOf(error);
}
