import { ContextOverflowError, type PromptLensError } from '../../errors';
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
