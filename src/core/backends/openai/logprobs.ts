import type { FinishReason, TokenLogProb, TopToken } from '../../backend';
import type { LogprobsReply } from './schemas';

/** Both wire shapes to the core's tokens; `topK` trims the alternatives (we ask for at least one). */
export function tokensFromLogprobs(logprobs: LogprobsReply | null | undefined, topK: number): TokenLogProb[] {
  if (!logprobs) return [];
  if ('content' in logprobs) {
    return logprobs.content.map((entry) => ({
      text: entry.token,
      logprob: entry.logprob,
      ...(entry.id === undefined ? {} : { id: entry.id }),
      top: (entry.top_logprobs ?? []).slice(0, topK).map((top) => ({
        text: top.token,
        logprob: top.logprob,
        ...(top.id === undefined ? {} : { id: top.id }),
      })),
    }));
  }
  return logprobs.tokens.map((text, i) => ({
    text,
    logprob: logprobs.token_logprobs[i] ?? null,
    top: topFromRecord(logprobs.top_logprobs?.[i]).slice(0, topK),
  }));
}

/** Classic `top_logprobs` entries are `{token: logprob}` objects; best first. */
export function topFromRecord(record: Record<string, number> | null | undefined): TopToken[] {
  return Object.entries(record ?? {})
    .map(([text, logprob]) => ({ text, logprob }))
    .sort((a, b) => b.logprob - a.logprob);
}

export function finishReasonFrom(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'eos':
      return 'end-of-text';
    default:
      return 'unknown';
  }
}
