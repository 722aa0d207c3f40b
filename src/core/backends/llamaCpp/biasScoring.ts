/**
 * Exact scoring for servers without token-id grammars (e.g. b4748, February 2025). The server's
 * `logprob` of a sampled token is the log-softmax of the raw logits (its `n_probs` report is taken
 * before the sampler chain), so forcing the target's tokens with a logit bias changes which token is
 * sampled but not the number reported for it:
 * - `string-grammar-bias`: ONE request whose grammar is the target text, with a bias on every target
 *   id; the grammar keeps the sampler on the text, the bias on the canonical tokens. Where the
 *   sampled tokens still differ from the target ids (two biased tokens fit the text there, e.g. a
 *   lone space token and a word starting with a space), that token is scored alone with
 *   `token-bias` and one more grammar request covers the rest.
 * - `token-bias`: one request per target token, prompt + the target's earlier tokens, that token
 *   alone biased (the prompt cache makes each step process about one token).
 * Every sampled id is checked against the target id, and every number against the best unbiased one.
 */
import type { EvaluateResult, Usage } from '../../backend';
import type { LlamaCppClient } from './client';
import { usageOf } from './response';
import { logprobEntrySchema, type CompletionBody } from './schemas';
import type { TargetSplit } from './scoring';
import { consistent, UnexpectedScoringReply, type ScoringMethod } from './scoringReply';

/** Added to a target token's logit: far above any real logit gap, finite for every server. */
export const SCORING_BIAS = 10_000;

export interface ScoredTokens {
  tokens: EvaluateResult['tokens'];
  greedy: boolean;
  usages: Usage[];
  requests: number;
}

/** A GBNF grammar matching exactly `text` (https://github.com/ggml-org/llama.cpp/blob/master/grammars/README.md). */
export function literalGrammar(text: string): string {
  const escaped = [...text]
    .map((ch) => {
      if (ch === '"' || ch === '\\') return `\\${ch}`;
      const code = ch.codePointAt(0) ?? 0;
      if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
      return ch;
    })
    .join('');
  return `root ::= "${escaped}"`;
}

/** The text of consecutive token pieces, or undefined when their bytes are not valid UTF-8. */
export function textOfPieces(pieces: readonly Uint8Array[]): string | undefined {
  const bytes = new Uint8Array(pieces.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.length;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * One request for the whole target. Where the sampled tokens leave the target ids (at k), token k is
 * scored alone (`token-bias`) and one more grammar request covers the rest, and so on.
 */
export async function scoreWithStringGrammar(
  client: LlamaCppClient,
  split: TargetSplit,
  pieces: readonly Uint8Array[],
  slotFields: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<ScoredTokens> {
  const ids = split.targetIds;
  let scored: ScoredTokens = { tokens: [], greedy: true, usages: [], requests: 0 };
  let k = 0;
  while (k < ids.length) {
    const text = textOfPieces(pieces.slice(k));
    if (text === undefined) break;
    const rest = ids.slice(k);
    const reply = await client.completeOne(
      {
        prompt: [...split.promptIds, ...ids.slice(0, k)],
        n_predict: rest.length,
        n_probs: 1,
        temperature: 0,
        grammar: literalGrammar(text),
        logit_bias: [...new Set(rest)].map((id) => [id, SCORING_BIAS]),
        cache_prompt: true,
        ...slotFields,
      },
      signal,
    );
    scored.requests++;
    scored.usages.push(usageOf(reply));
    const entries = reply.completion_probabilities ?? [];
    for (const [i, id] of rest.entries()) {
      const entry = readEntry(entries[i], 'string-grammar-bias', reply);
      if (!entry || entry.id !== id) break;
      push(scored, entry);
    }
    k = scored.tokens.length;
    if (k < ids.length) {
      scored = merge(scored, await scoreWithTokenBias(client, split, slotFields, signal, k, k + 1));
      k++;
    }
  }
  return k < ids.length
    ? merge(scored, await scoreWithTokenBias(client, split, slotFields, signal, k))
    : scored;
}

/** One request per target token from `from` up to `to`. */
export async function scoreWithTokenBias(
  client: LlamaCppClient,
  split: TargetSplit,
  slotFields: Record<string, unknown>,
  signal: AbortSignal | undefined,
  from = 0,
  to = split.targetIds.length,
): Promise<ScoredTokens> {
  const scored: ScoredTokens = { tokens: [], greedy: true, usages: [], requests: 0 };
  const ids = split.targetIds;
  for (let k = from; k < to; k++) {
    const id = ids[k] ?? 0;
    const reply = await client.completeOne(
      {
        prompt: [...split.promptIds, ...ids.slice(0, k)],
        n_predict: 1,
        n_probs: 1,
        temperature: 0,
        logit_bias: [[id, SCORING_BIAS]],
        cache_prompt: true,
        ...slotFields,
      },
      signal,
    );
    scored.requests++;
    scored.usages.push(usageOf(reply));
    const entry = readEntry(reply.completion_probabilities?.[0], 'token-bias', reply);
    if (!entry || entry.id !== id)
      throw new UnexpectedScoringReply('token-bias', `token ${k} of the target was not sampled`);
    push(scored, entry);
  }
  return scored;
}

type Entry = { id: number; token: string; logprob: number; top_logprobs: { id: number; logprob: number }[] };

function readEntry(raw: unknown, method: ScoringMethod, reply: CompletionBody): Entry | undefined {
  if (raw === undefined) return undefined;
  const parsed = logprobEntrySchema.safeParse(raw);
  if (!parsed.success)
    throw new UnexpectedScoringReply(
      method,
      `no raw log-probability in ${JSON.stringify(reply).slice(0, 200)}`,
    );
  if (!consistent(parsed.data))
    throw new UnexpectedScoringReply(method, 'the reported numbers carry the bias');
  return parsed.data;
}

function push(scored: ScoredTokens, entry: Entry): void {
  scored.tokens.push({
    text: entry.token,
    logprob: entry.logprob <= -3.4e38 ? -Infinity : entry.logprob,
    id: entry.id,
  });
  if (entry.top_logprobs[0]?.id !== entry.id) scored.greedy = false;
}

function merge(a: ScoredTokens, b: ScoredTokens): ScoredTokens {
  return {
    tokens: [...a.tokens, ...b.tokens],
    greedy: a.greedy && b.greedy,
    usages: [...a.usages, ...b.usages],
    requests: a.requests + b.requests,
  };
}
