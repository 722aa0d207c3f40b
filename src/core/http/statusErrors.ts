import { z } from 'zod';
import {
  AuthenticationError,
  BadRequestError,
  BusyError,
  InvalidResponseError,
  NotFoundError,
  PromptLensError,
  QuotaError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../errors';
import { parseRetryAfterMs } from './retryPolicy';

/** Generic status -> typed error; backends call it from their ErrorMapper after reading their error body. */
export function errorFromStatus(
  status: number,
  serverMessage: string,
  headers: Record<string, string> = {},
): PromptLensError {
  switch (status) {
    case 400:
      return new BadRequestError(serverMessage, status);
    case 401:
    case 403:
      return new AuthenticationError(undefined, status);
    case 402:
      return new QuotaError();
    case 404:
      return new NotFoundError();
    case 408:
    case 504:
      return new TimeoutError();
    case 429:
      return new RateLimitError(undefined, status, parseRetryAfterMs(headers['retry-after']));
    case 503:
      return new BusyError();
  }
  if (status >= 500)
    return new ServerError(
      `The server failed (HTTP ${status})${suffix(serverMessage)}. Try again later.`,
      status,
    );
  if (status >= 300 && status < 400) {
    return new ServerError(
      `The server answered with a redirect (HTTP ${status}), which is not followed. Check the server URL.`,
      status,
    );
  }
  return new BadRequestError(serverMessage || `HTTP ${status}`, status);
}

function suffix(message: string): string {
  return message ? `: ${message}` : '';
}

const errorBody = z.union([
  z.object({ error: z.object({ message: z.string() }) }),
  z.object({ error: z.string() }),
  z.object({ message: z.string() }),
  z.object({ detail: z.string() }),
]);

const MAX_MESSAGE_LENGTH = 500;

/**
 * The human message of an error body: `{error: {message}}` (OpenAI, llama.cpp), `{error: "..."}`
 * (Aleph Alpha), `{message}`, `{detail}`, or plain text from a proxy. One line, bounded length.
 */
export function serverMessageFromBody(bodyText: string): string {
  let message = bodyText;
  try {
    const parsed = errorBody.safeParse(JSON.parse(bodyText));
    if (parsed.success) {
      const body = parsed.data;
      message =
        'error' in body
          ? typeof body.error === 'string'
            ? body.error
            : body.error.message
          : 'message' in body
            ? body.message
            : body.detail;
    }
  } catch {
    // Not JSON: plain text from a proxy or an old server.
  }
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE_LENGTH ? `${oneLine.slice(0, MAX_MESSAGE_LENGTH)}…` : oneLine;
}

/** The reply was not what the API promises (bad JSON, or a shape zod rejects). */
export function invalidResponse(what: string, rawBody: string, status?: number): InvalidResponseError {
  return new InvalidResponseError(
    `The server sent an unexpected reply (${what}). Check that the URL points to the right kind of server.`,
    rawBody,
    status,
  );
}

/** Parses JSON and validates it; any failure is an InvalidResponseError keeping the raw body. */
export function parseJsonReply<T>(bodyText: string, schema: z.ZodType<T>, status?: number): T {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    throw invalidResponse('not JSON', bodyText, status);
  }
  return validateReply(json, schema, bodyText, status);
}

/** Validates already parsed JSON; a mismatch is an InvalidResponseError keeping the raw body. */
export function validateReply<T>(json: unknown, schema: z.ZodType<T>, rawBody: string, status?: number): T {
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'shape mismatch';
    throw invalidResponse(where, rawBody, status);
  }
  return result.data;
}
