/**
 * Which exact scoring methods a llama.cpp server supports, found by a tiny probe once per server
 * identity (base URL, `/props` build_info, model) and cached; a method whose reply turns out
 * unexpected later is dropped from the cached plan, so the next score goes straight to the next one.
 *
 * Methods, cheapest first:
 * - `token-id-grammar`: one request, a grammar of the target's token ids (`<[id]>`, servers from
 *   December 2025 on). Older servers that do not parse it silently drop it (b4748: HTTP 200 with
 *   free text), so the returned tokens are always checked against the target ids.
 * - `string-grammar-bias`: one request, a grammar of the target's text plus a logit bias on the target's
 *   ids, which steers the sampler to the canonical tokenization; the pre-sampling `logprob` the
 *   server reports comes from the raw logits, unaffected by grammar and bias. Positions where the
 *   sampled tokens differ from the target ids are scored again one by one.
 * - `token-bias`: one request per target token, the target token forced by a logit bias.
 * - `full-vocabulary`: March-2024 servers (b2356): one request per target token with the
 *   probabilities of the whole vocabulary (legacyScoring.ts).
 */
import { CancelledError, isRetryableKind, PromptLensError } from '../../errors';
import type { LlamaCppClient } from './client';
import { usageOf } from './response';
import { logprobEntrySchema, type CompletionBody } from './schemas';
import { serverIdentity, type ServerInfo } from './serverInfo';
import { untilAborted } from '../../untilAborted';
import { literalGrammar, SCORING_BIAS, textOfPieces } from './biasScoring';
import { consistent, type ScoringMethod } from './scoringReply';
import { tokenIdGrammar } from './scoring';

export type { ScoringMethod } from './scoringReply';

/** What the probe itself cost; charged to the score that ran it. */
export interface ProbeCost {
  requests: number;
  promptTokensProcessed: number;
}

/** Cached plans of every server this process talked to, by identity. */
const plans = new Map<string, Promise<ScoringMethod[]>>();
/** The same, once known (read without probing). */
const known = new Map<string, ScoringMethod[]>();

/** The text the probe scores: a few common tokens after BOS (no leading space: SentencePiece adds one). */
const PROBE_TEXT = 'the cat';

/** The supported methods, cheapest first; `probe` is set for the one call that ran the probe. */
export async function scoringPlan(
  client: LlamaCppClient,
  baseUrl: string,
  info: ServerInfo,
  signal: AbortSignal | undefined,
): Promise<{ methods: ScoringMethod[]; probe?: ProbeCost }> {
  if (info.legacy) return { methods: ['full-vocabulary'] };
  const key = serverIdentity(baseUrl, info);
  const cached = plans.get(key);
  if (cached) return { methods: await untilAborted(cached, signal) };
  const cost: ProbeCost = { requests: 0, promptTokensProcessed: 0 };
  // Shared by every caller of this server: no one caller's signal cancels it.
  const plan = probe(client, undefined, cost);
  plans.set(key, plan);
  plan.then(
    (methods) => known.set(key, methods),
    () => plans.delete(key),
  );
  return { methods: await untilAborted(plan, signal), probe: cost };
}

/** Drops a method from the cached plan of this server (it answered unexpectedly). */
export function dropMethod(baseUrl: string, info: ServerInfo, method: ScoringMethod): void {
  const key = serverIdentity(baseUrl, info);
  const plan = plans.get(key);
  if (plan)
    plans.set(
      key,
      plan.then((methods) => methods.filter((m) => m !== method)),
    );
  const methods = known.get(key);
  if (methods)
    known.set(
      key,
      methods.filter((m) => m !== method),
    );
}

/** The plan of this server if it was probed already (never probes). */
export function knownPlan(baseUrl: string, info: ServerInfo): ScoringMethod[] | undefined {
  return info.legacy ? ['full-vocabulary'] : known.get(serverIdentity(baseUrl, info));
}

/** For tests: forget every cached plan. */
export function forgetScoringPlans(): void {
  plans.clear();
  known.clear();
}

async function probe(
  client: LlamaCppClient,
  signal: AbortSignal | undefined,
  cost: ProbeCost,
): Promise<ScoringMethod[]> {
  const joint = await client.tokenizeWithBos(PROBE_TEXT, signal);
  // The prompt is the BOS the tokenizer adds (or the first token where it adds none).
  const cut = Math.max(1, (await client.tokenizeWithBos('', signal)).ids.length);
  const prompt = joint.ids.slice(0, cut);
  const ids = joint.ids.slice(cut);
  const text = joint.pieces && textOfPieces(joint.pieces.slice(cut));
  const base = { prompt, n_predict: ids.length, n_probs: 1, temperature: 0, cache_prompt: false };
  const methods: ScoringMethod[] = [];
  const tries: [ScoringMethod, Record<string, unknown>][] = [
    ['token-id-grammar', { ...base, grammar: tokenIdGrammar(ids) }],
  ];
  if (text !== undefined)
    tries.push([
      'string-grammar-bias',
      { ...base, grammar: literalGrammar(text), logit_bias: ids.map((id) => [id, SCORING_BIAS]) },
    ]);
  for (const [method, body] of tries) {
    try {
      cost.requests++;
      const reply = await client.completeOne(body, signal);
      cost.promptTokensProcessed += usageOf(reply).promptTokensProcessed ?? prompt.length;
      // The string grammar must force at least the first token (later differences it re-scores itself).
      if (followed(reply, method === 'token-id-grammar' ? ids : ids.slice(0, 1))) methods.push(method);
    } catch (error) {
      // A server that refuses the request (400 for a grammar it cannot parse) lacks the method. One
      // that is busy, unreachable or refuses the key says nothing about it: the probe fails, is not
      // cached, and the next score probes again (not a costlier method for the whole session).
      if (!lacksMethod(error)) throw error;
    }
  }
  return [...methods, 'token-bias'];
}

/** Whether a probe request's failure means the server cannot do the method it tried. */
function lacksMethod(error: unknown): boolean {
  if (error instanceof CancelledError || !(error instanceof PromptLensError)) return false;
  return !isRetryableKind(error.kind) && !['authentication', 'quota'].includes(error.kind);
}

/** The reply sampled exactly `ids`, with raw (unbiased) log-probabilities. */
function followed(reply: CompletionBody, ids: readonly number[]): boolean {
  const entries = reply.completion_probabilities ?? [];
  return ids.every((id, i) => {
    const entry = logprobEntrySchema.safeParse(entries[i]);
    return entry.success && entry.data.id === id && consistent(entry.data);
  });
}
