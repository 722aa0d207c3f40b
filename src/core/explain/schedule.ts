// Runs the n + 1 scoring calls of an occlusion explanation in an order that keeps the server's prompt
// cache useful (see partition.ts for why). Strategies:
// - `sequential`: one call after another on one slot (llama.cpp: pinned with `id_slot`): the full
//   prompt, then the deletions from the last segment to the first. Processes the lower bound.
// - `concurrent`: the deletions cut into one contiguous group per slot (`partitionDeletions`), each
//   group run like `sequential` on its own pinned slot, the groups at the same time.
// - `batch`: backends with batch scoring (`evaluateBatch`; llama.cpp: ONE `/completion` request), in the
//   sequential order; with several slots the earliest deletion comes second (the second prompt
//   starts on a cold slot, and it is the cheapest to start cold). The server spreads them over its
//   slots; a prompt whose end merges with the target is scored alone after the batch.
import { setMaxListeners } from 'node:events';
import type {
  Backend,
  BatchOptions,
  BatchEvaluation,
  EvaluateRequest,
  EvaluateResult,
  Prompt,
} from '../backend';
import { CancelledError } from '../errors';
import { partitionDeletions } from './partition';

export type OcclusionStrategy = 'sequential' | 'concurrent' | 'batch';

export const OCCLUSION_STRATEGIES: readonly OcclusionStrategy[] = ['sequential', 'concurrent', 'batch'];

export interface ScoringJob {
  prompt: Prompt;
  /** The deleted segment's offset and length in the prompt text; undefined for the full prompt. */
  deletion?: { start: number; length: number };
}

export interface ScheduleOptions {
  strategy: OcclusionStrategy;
  /** Length of the prompt text (the cost model's unit is a character). */
  textLength: number;
  model?: string;
  signal?: AbortSignal;
  /** Slots to spread over with `concurrent` (llama.cpp: the server's slot count). */
  slots: number;
  /** Called once per finished job. */
  onResult?: (index: number, result: EvaluateResult) => void;
}

type BatchScoring = Backend & {
  evaluateBatch(prompts: Prompt[], expected: string, options?: BatchOptions): Promise<BatchEvaluation[]>;
};

/** The backend scores several prompts in one go (an optional capability of the interface). */
export function hasBatchScoring(backend: Backend): backend is BatchScoring {
  return backend.evaluateBatch !== undefined;
}

/** Results in the order of `jobs`. Job 0 is the full prompt; stops every call once one fails. */
export async function runScoringJobs(
  backend: Backend,
  jobs: readonly ScoringJob[],
  target: string,
  options: ScheduleOptions,
): Promise<EvaluateResult[]> {
  const results = new Array<EvaluateResult>(jobs.length);
  const stop = new AbortController();
  // Every call under way listens to this signal (a batch tokenizes all its prompts at once).
  setMaxListeners(4 * jobs.length + 16, stop.signal);
  const outer = options.signal;
  const onOuterAbort = () => stop.abort();
  if (outer?.aborted) throw new CancelledError('Explanation cancelled.');
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const finish = (index: number, result: EvaluateResult) => {
    results[index] = result;
    options.onResult?.(index, result);
  };
  try {
    if (options.strategy === 'batch' && hasBatchScoring(backend)) {
      await runBatch(backend, jobs, target, options.slots, stop.signal, finish);
    } else {
      const slots = options.strategy === 'concurrent' ? Math.max(1, options.slots) : 1;
      const groups = slotGroups(jobs, options.textLength, slots);
      await Promise.all(
        groups.map((group, slot) =>
          runGroup(backend, jobs, group, target, slot, options.model, stop.signal, finish).catch(
            (error: unknown) => {
              stop.abort();
              throw error;
            },
          ),
        ),
      );
    }
  } catch (error) {
    if (outer?.aborted) throw new CancelledError('Explanation cancelled.');
    throw error;
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
  }
  return results;
}

/** Job indices per slot, each in run order; slot 0 starts with the full prompt. */
export function slotGroups(jobs: readonly ScoringJob[], textLength: number, slots: number): number[][] {
  const deletions = jobs
    .flatMap((job, index) => (job.deletion ? [{ ...job.deletion, index }] : []))
    .sort((a, b) => a.start - b.start || a.index - b.index);
  const groups = partitionDeletions(deletions, textLength, slots).map((group) => group.map((d) => d.index));
  const full = jobs.findIndex((job) => !job.deletion);
  if (full >= 0) groups[0] = [full, ...(groups[0] ?? [])];
  return groups;
}

/** Prompt order of `batch`: the full prompt, (with several slots) the earliest deletion, then the others from last to first. */
export function batchOrder(jobs: readonly ScoringJob[], slots: number): number[] {
  const [latestFirst] = slotGroups(jobs, 0, 1);
  const order = latestFirst ?? [];
  if (slots <= 1) return order;
  const [full, ...deletions] = order;
  const earliest = deletions.pop();
  return [...(full === undefined ? [] : [full]), ...(earliest === undefined ? [] : [earliest]), ...deletions];
}

async function runGroup(
  backend: Backend,
  jobs: readonly ScoringJob[],
  group: readonly number[],
  target: string,
  slot: number,
  model: string | undefined,
  signal: AbortSignal,
  finish: (index: number, result: EvaluateResult) => void,
): Promise<void> {
  for (const index of group) {
    if (signal.aborted) throw new CancelledError('Explanation cancelled.');
    const job = jobs[index];
    if (!job) continue;
    const request: EvaluateRequest = {
      prompt: job.prompt,
      expected: target,
      signal,
      ...(model === undefined ? {} : { model }),
      // Pin the slot only where the backend keeps slots apart (slot-aware scoring).
      ...(backend.scoringSlots ? { slot } : {}),
    };
    finish(index, await backend.evaluate(request));
  }
}

async function runBatch(
  backend: BatchScoring,
  jobs: readonly ScoringJob[],
  target: string,
  slots: number,
  signal: AbortSignal,
  finish: (index: number, result: EvaluateResult) => void,
): Promise<void> {
  const order = batchOrder(jobs, slots);
  const prompts = order.map((index) => jobs[index]?.prompt ?? '');
  const results = await backend.evaluateBatch(prompts, target, { signal, slot: 0 });
  order.forEach((index, k) => {
    const result = results[k];
    if (result) finish(index, result);
  });
}
