import {
  AuthenticationError,
  ContextOverflowError,
  NotFoundError,
  ServerError,
  UnsupportedError,
  type PromptLensError,
} from '../../errors';
import { errorFromStatus, serverMessageFromBody } from '../../http/statusErrors';
import { errorBodySchema } from './schemas';

/**
 * llama.cpp error replies: `{"error": {code, message, type}}` on current servers (context overflow adds
 * `n_prompt_tokens` and `n_ctx`), text/plain on old ones (`File Not Found`, `Unauthorized`,
 * `500 Internal Server Error\n<what>`).
 */
export function mapLlamaCppError(
  status: number,
  bodyText: string,
  headers: Record<string, string>,
): PromptLensError {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return plainTextError(status, bodyText, headers);
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return errorFromStatus(status, serverMessageFromBody(bodyText), headers);
  const { message, type, n_prompt_tokens: promptTokens, n_ctx: contextSize } = parsed.data.error;
  if (type === 'exceed_context_size_error')
    return new ContextOverflowError(message, status, promptTokens, contextSize);
  if (status === 501 || type === 'not_supported_error')
    return new UnsupportedError(`The llama.cpp server cannot do this: ${message}`);
  return errorFromStatus(status, serverMessageFromBody(bodyText), headers);
}

function plainTextError(status: number, bodyText: string, headers: Record<string, string>): PromptLensError {
  const text = bodyText.trim();
  if (status === 401) return new AuthenticationError(undefined, status);
  // Old servers also answer some application errors with 404 `File Not Found`.
  if (status === 404) return new NotFoundError();
  const what = /^\d{3} [^\n]*\n([\s\S]*)$/.exec(text)?.[1]?.trim();
  if (status >= 500 && what !== undefined && status !== 503)
    return new ServerError(
      `The llama.cpp server failed (HTTP ${status}): ${what.slice(0, 300)}. Try again later.`,
      status,
    );
  return errorFromStatus(status, serverMessageFromBody(bodyText), headers);
}
