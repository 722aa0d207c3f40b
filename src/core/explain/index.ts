// Explanations on every backend: native where the backend has one (Aleph Alpha), else occlusion.
// The occlusion engine lands with the explain work; until then only native explanations run.
import type { Backend, ExplainRequest, ExplainResult } from '../backend';
import { UnsupportedError } from '../errors';

export interface ExplainPlan {
  method: 'native' | 'occlusion';
  /** Scoring calls the run will make (1 for native). */
  calls: number;
  /** Number of prompt segments that will be scored. */
  segments: number;
}

/** What an explanation will cost, said before running it (the editor asks above a threshold). */
export async function planExplanation(backend: Backend, _request: ExplainRequest): Promise<ExplainPlan> {
  if (backend.explain) return { method: 'native', calls: 1, segments: 0 };
  throw new UnsupportedError(`The ${backend.kind} backend has no native explanation, and occlusion is not available in this build yet.`);
}

export function explain(backend: Backend, request: ExplainRequest): Promise<ExplainResult> {
  if (backend.explain) return backend.explain(request);
  return Promise.reject(new UnsupportedError(`The ${backend.kind} backend has no native explanation, and occlusion is not available in this build yet.`));
}
