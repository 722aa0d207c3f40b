import { ContextOverflowError, UnsupportedError, type PromptLensError } from '../../errors';
import { errorFromStatus, serverMessageFromBody } from '../../http/statusErrors';
import { errorBodySchema } from './schemas';

/** OpenAI / vLLM / llama.cpp error bodies to typed errors; context overflow gets its own type. */
export function mapOpenAiError(
  status: number,
  bodyText: string,
  headers: Record<string, string>,
): PromptLensError {
  const message = serverMessageFromBody(bodyText);
  const details = parseDetails(bodyText);
  const overflow =
    details?.type === 'exceed_context_size_error' ||
    details?.code === 'context_length_exceeded' ||
    /maximum context length/i.test(message);
  if (status === 400 && overflow) {
    const contextSize = details?.n_ctx ?? numberAfter(message, /maximum context length is (\d+)/i);
    return new ContextOverflowError(message, status, details?.n_prompt_tokens, contextSize);
  }
  // A server that names a parameter it does not support will name it again: not a failure to retry.
  const unsupported = /unsupported param(?:eter)?:?\s*["'`]?([\w.]+)/i.exec(message);
  if (unsupported && status >= 400)
    return new UnsupportedError(
      `This server does not support the \`${unsupported[1] ?? ''}\` parameter of the OpenAI API (it answered HTTP ${status}: ${message}).`,
      undefined,
      status,
    );
  return errorFromStatus(status, message, headers);
}

function parseDetails(bodyText: string) {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(bodyText));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}

function numberAfter(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
