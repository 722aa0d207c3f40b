// Explanations on every backend: native where the backend has one (Aleph Alpha), else by occlusion
// (occlusion.ts). Both come back as the same ExplainResult.
import type { Backend, ExplainRequest, ExplainResult } from '../backend';
import type { ConcreteGranularity } from '../segment';
import { explainByOcclusion, planOcclusion, type OcclusionOptions, type OcclusionPlan } from './occlusion';
import type { OcclusionStrategy } from './schedule';

export type { OcclusionOptions } from './occlusion';
export type { OcclusionStrategy } from './schedule';

export interface ExplainPlan {
  method: 'native' | 'occlusion';
  /** Scoring calls the run will make (1 for native). */
  calls: number;
  /** Number of prompt segments that will be scored (0 for native: the server segments). */
  segments: number;
  /** Occlusion only: the granularity the segments were cut at (`auto` resolved). */
  granularity?: ConcreteGranularity;
  /** Occlusion only: how the calls will be scheduled. */
  strategy?: OcclusionStrategy;
  /** Occlusion only: the segments and schedule, so that running the plan does not plan again. */
  occlusion?: OcclusionPlan;
}

/** What an explanation will cost, said before running it (the editor asks above a threshold). */
export async function planExplanation(
  backend: Backend,
  request: ExplainRequest,
  options: OcclusionOptions = {},
): Promise<ExplainPlan> {
  if (backend.explain) return { method: 'native', calls: 1, segments: 0 };
  const plan = await planOcclusion(backend, request, options);
  return {
    method: 'occlusion',
    calls: plan.calls,
    segments: plan.segments.length,
    granularity: plan.granularity,
    strategy: plan.strategy,
    occlusion: plan,
  };
}

/**
 * Explains `request.target`. With the `plan` of `planExplanation` for the same request, an occlusion
 * run does not plan again (no second capability probe, no second tokenization).
 */
export function explain(
  backend: Backend,
  request: ExplainRequest,
  options: OcclusionOptions = {},
  plan?: ExplainPlan,
): Promise<ExplainResult> {
  if (backend.explain) return backend.explain(request);
  return explainByOcclusion(backend, request, options, plan?.occlusion);
}
