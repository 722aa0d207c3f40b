// Explanation by occlusion, for backends without a native one (llama.cpp, OpenAI-compatible), with
// Aleph Alpha's semantics: for each prompt segment, delete its characters from the prompt (everything
// else stays), score the target again, and give the segment
//     score = NLL(target | prompt without segment) − NLL(target | prompt)
// (positive: the segment helped produce the target). n segments cost n + 1 scoring calls; per-token
// targets come from the per-token log-probabilities of the same calls (targetTokens.ts).
import type {
  Backend,
  EvaluateResult,
  ExplainCost,
  Explanation,
  ExplanationItem,
  ExplainRequest,
  ExplainResult,
  Prompt,
} from '../backend';
import { CancelledError, UnsupportedError } from '../errors';
import type { ConcreteGranularity } from '../segment';
import { postprocessExplanation } from './postprocess';
import { hasBatchScoring, runScoringJobs, type OcclusionStrategy, type ScoringJob } from './schedule';
import { itemsOf, planSegments, withoutSegment, type OcclusionSegment } from './segments';
import { alignedLogProbs, referenceTokens } from './targetTokens';

export interface OcclusionOptions {
  /** How the calls are scheduled; `auto` (default) picks by backend and slot count (see `chooseStrategy`). */
  strategy?: OcclusionStrategy | 'auto';
}

export interface OcclusionPlan {
  calls: number;
  segments: OcclusionSegment[];
  granularity: ConcreteGranularity;
  strategy: OcclusionStrategy;
  /** Slots (or parallel calls) the run spreads over. */
  slots: number;
}

/** Parallel calls for backends without slots (an OpenAI-compatible server batches them itself). */
const GENERIC_PARALLEL_CALLS = 2;

export async function planOcclusion(
  backend: Backend,
  request: ExplainRequest,
  options: OcclusionOptions = {},
): Promise<OcclusionPlan> {
  const callOptions = {
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.model === undefined ? {} : { model: request.model }),
  };
  const capabilities = await backend.capabilities(callOptions);
  if (!capabilities.score)
    throw new UnsupportedError(
      `The ${backend.kind} backend cannot score a target, so it cannot explain one by occlusion. Use a backend that can evaluate.`,
    );
  const [plan, slots] = await Promise.all([
    planSegments(backend, request.prompt, request.granularity, callOptions),
    slotCount(backend, request.signal),
  ]);
  return {
    calls: plan.segments.length + 1,
    segments: plan.segments,
    granularity: plan.granularity,
    strategy: chooseStrategy(backend, slots, options.strategy),
    slots,
  };
}

/**
 * The default, chosen by measurement (bench/explain.mjs): with several slots `concurrent` was the
 * fastest and processed at most a few percent over the lower bound; with one slot `sequential`
 * processes exactly the lower bound. Backends without slots get two calls at a time.
 */
export function chooseStrategy(
  backend: Backend,
  slots: number,
  requested: OcclusionOptions['strategy'] = 'auto',
): OcclusionStrategy {
  if (requested === 'batch' && !hasBatchScoring(backend)) return 'sequential';
  if (requested !== 'auto') return requested;
  return slots > 1 ? 'concurrent' : 'sequential';
}

export async function explainByOcclusion(
  backend: Backend,
  request: ExplainRequest,
  options: OcclusionOptions = {},
  planned?: OcclusionPlan,
): Promise<ExplainResult> {
  const plan = planned ?? (await planOcclusion(backend, request, options));
  const jobs: ScoringJob[] = [
    { prompt: request.prompt },
    ...plan.segments.map((seg) => ({
      prompt: withoutSegment(request.prompt, seg),
      deletion: { start: seg.globalStart, length: seg.length },
    })),
  ];
  let done = 0;
  request.onProgress?.(0, jobs.length);
  const results = await runScoringJobs(backend, jobs, request.target, {
    strategy: plan.strategy,
    slots: plan.slots,
    textLength: textLength(request.prompt),
    ...(request.model === undefined ? {} : { model: request.model }),
    ...(request.signal ? { signal: request.signal } : {}),
    onResult: () => request.onProgress?.(++done, jobs.length),
  });
  if (request.signal?.aborted) throw new CancelledError('Explanation cancelled.');
  const [full, ...ablated] = results;
  if (!full) throw new UnsupportedError('The occlusion run returned no score for the full prompt.');
  const raw =
    request.targetGranularity === 'token'
      ? perTokenExplanations(request, plan.segments, full, ablated)
      : [
          explanationOf(
            request.prompt,
            request.target,
            plan.segments,
            (i) => full.logProbability - (ablated[i]?.logProbability ?? NaN),
          ),
        ];
  return {
    explanations: raw.map((e) => postprocessExplanation(e, request.postprocessing, request.normalize)),
    cost: explainCost(results),
  };
}

function perTokenExplanations(
  request: ExplainRequest,
  segments: readonly OcclusionSegment[],
  full: EvaluateResult,
  ablated: readonly EvaluateResult[],
): Explanation[] {
  const reference = referenceTokens(full.tokens, request.target);
  const fullPerToken = alignedLogProbs(reference, full.tokens, request.target);
  const ablatedPerToken = ablated.map((r) => alignedLogProbs(reference, r.tokens, request.target));
  return reference.map((token, k) =>
    explanationOf(
      request.prompt,
      token.text,
      segments,
      (i) => (fullPerToken[k] ?? NaN) - (ablatedPerToken[i]?.[k] ?? NaN),
    ),
  );
}

/** One entry per prompt item (text items carry their segments' scores), then Aleph Alpha's `target` item. */
function explanationOf(
  prompt: Prompt,
  target: string,
  segments: readonly OcclusionSegment[],
  scoreOf: (segmentIndex: number) => number,
): Explanation {
  const items: ExplanationItem[] = itemsOf(prompt).map((item, index): ExplanationItem => {
    if (item.type === 'image') return { type: 'image', scores: [] };
    if (item.type === 'token_ids') return { type: 'token_ids', scores: [] };
    return {
      type: 'text',
      scores: segments.flatMap((seg, i) =>
        seg.item === index ? [{ start: seg.start, length: seg.length, score: scoreOf(i) }] : [],
      ),
    };
  });
  items.push({ type: 'target', scores: [] });
  return { target, items };
}

/** What the run cost: calls, prompt tokens, and (where the backend says) requests and methods. */
function explainCost(results: readonly EvaluateResult[]): ExplainCost {
  const cost: ExplainCost = {
    calls: results.length,
    promptTokensProcessed: results.reduce((sum, r) => sum + processed(r), 0),
  };
  if (results.every((r) => r.cost !== undefined)) {
    cost.requests = results.reduce((sum, r) => sum + (r.cost?.requests ?? 0), 0);
    cost.methods = [...new Set(results.map((r) => r.cost?.method ?? ''))];
  }
  return cost;
}

/** Prompt tokens the server really processed; where it does not say, the prompt's token count. */
function processed(result: EvaluateResult): number {
  return result.usage?.promptTokensProcessed ?? result.usage?.promptTokens ?? 0;
}

function textLength(prompt: Prompt): number {
  return itemsOf(prompt).reduce((sum, item) => sum + (item.type === 'text' ? item.text.length : 0), 0);
}

async function slotCount(backend: Backend, signal: AbortSignal | undefined): Promise<number> {
  if (!backend.scoringSlots) return GENERIC_PARALLEL_CALLS;
  return backend.scoringSlots(signal ? { signal } : {});
}
