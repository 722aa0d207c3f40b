import type { EvaluateResult } from '../../backend';
import { UnsupportedError } from '../../errors';
import { topFromRecord } from './logprobs';
import type { ChoiceReply, CompletionReply } from './schemas';

const CANNOT_SCORE =
  'This server cannot score a prompt: it does not return log-probabilities of the prompt text (`echo`). ' +
  "vLLM does; llama.cpp's /v1/completions ignores echo, so use the llama.cpp backend for evaluate.";

/**
 * log P(expected | prompt) from an `echo: true, logprobs: 1` reply whose log-probabilities start
 * with the prompt (vLLM). The first `usage.prompt_tokens` entries are the echoed prompt + expected.
 */
export function scoreFromEcho(reply: CompletionReply, fullText: string, expected: string): EvaluateResult {
  const choice: ChoiceReply | undefined = reply.choices[0];
  const logprobs = choice?.logprobs;
  if (!choice || !logprobs || 'content' in logprobs || !choice.text.startsWith(fullText))
    throw new UnsupportedError(CANNOT_SCORE);
  const completionTokens = reply.usage?.completion_tokens ?? 1;
  const echoCount = reply.usage?.prompt_tokens ?? logprobs.tokens.length - completionTokens;
  if (echoCount <= 0 || echoCount > logprobs.tokens.length) throw new UnsupportedError(CANNOT_SCORE);

  // Walk the echoed tokens; the expected text is what their concatenation ends with.
  const echoed = logprobs.tokens.slice(0, echoCount);
  const echoedText = echoed.join('');
  if (!echoedText.endsWith(expected)) {
    throw new UnsupportedError(`${CANNOT_SCORE} (The echoed tokens do not end with the expected text.)`);
  }
  const expectedStart = echoedText.length - expected.length;
  const tokens: EvaluateResult['tokens'] = [];
  let greedy: boolean | undefined = true;
  let end = 0;
  for (const [i, text] of echoed.entries()) {
    end += text.length;
    // A token straddling prompt and expected (merged across the boundary) is counted with the expected part.
    if (end <= expectedStart) continue;
    const logprob = logprobs.token_logprobs[i];
    if (logprob === null || logprob === undefined) {
      throw new UnsupportedError(
        'The server gives no log-probability for the first token of a prompt: give a non-empty prompt before the expected text.',
      );
    }
    tokens.push({ text, logprob });
    const top = topFromRecord(logprobs.top_logprobs?.[i]);
    if (top[0] === undefined) greedy = undefined;
    else if (greedy !== undefined && logprob < top[0].logprob - 1e-6) greedy = false;
  }
  const logProbability = tokens.reduce((sum, token) => sum + token.logprob, 0);
  const characterCount = expected.length;
  return {
    logProbability,
    tokenCount: tokens.length,
    characterCount,
    tokens,
    perplexityPerToken: Math.exp(-logProbability / Math.max(1, tokens.length)),
    perplexityPerCharacter: Math.exp(-logProbability / Math.max(1, characterCount)),
    ...(greedy === undefined || tokens.length === 0 ? {} : { correctGreedy: greedy }),
    ...(reply.usage?.prompt_tokens === undefined
      ? {}
      : { usage: { promptTokens: reply.usage.prompt_tokens } }),
  };
}
