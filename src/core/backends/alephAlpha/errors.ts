/** Aleph Alpha error replies (spec section 13) to the core's typed errors. */
import {
  BusyError,
  ContextOverflowError,
  NotFoundError,
  PromptLensError,
  UnsupportedError,
} from '../../errors';
import { errorFromStatus, serverMessageFromBody } from '../../http/statusErrors';
import type { ErrorMapper } from '../../http/types';
import { errorBody } from './schemas';

/** Phrases of a "prompt does not fit the context" message. */
const CONTEXT_OVERFLOW =
  /context (size|length|window)|too many tokens|prompt (is )?too long|exceeds? the max/i;

export const mapAlephAlphaError: ErrorMapper = (status, bodyText, headers): PromptLensError => {
  const code = errorCode(bodyText);
  const message = serverMessageFromBody(bodyText);
  if ((status === 400 || status === 413) && CONTEXT_OVERFLOW.test(message)) {
    const [promptTokens, contextSize] = numbersOf(message);
    return new ContextOverflowError(message, status, promptTokens, contextSize);
  }
  if (status === 400 && code === 'MISSING_CAPABILITY') {
    return new UnsupportedError(`This model cannot do that: ${message}. Choose another model.`);
  }
  if (status === 404 && code === 'UNKNOWN_MODEL') {
    return new NotFoundError(`Unknown model: ${message}. Check the model name of this profile.`);
  }
  if (status === 503 && message)
    return new BusyError(`The server is busy (${message}). Try again in a moment.`);
  return errorFromStatus(status, message, headers);
};

function errorCode(bodyText: string): string | undefined {
  try {
    const parsed = errorBody.safeParse(JSON.parse(bodyText));
    return parsed.success ? parsed.data.code : undefined;
  } catch {
    return undefined;
  }
}

/** The prompt size and the context size, when the message names them in that order ("2100 tokens ... 2048"). */
function numbersOf(message: string): [number | undefined, number | undefined] {
  const prompt = /(\d+)\s*tokens?\)?/i.exec(message);
  const context = /context (?:size|length|window)\D*(\d+)/i.exec(message);
  return [prompt ? Number(prompt[1]) : undefined, context ? Number(context[1]) : undefined];
}
