import type { Backend, ExplainRequest, ExplainResult } from '../core/backend';
import { UnsupportedError } from '../core/errors';

/**
 * The one place that decides how an explanation is made: natively where the backend can, else by
 * occlusion. Switch the fallback to `explainByOcclusion(backend, request)` from
 * `src/core/explain/occlusion.ts` once that module exists.
 */
export function explainWith(backend: Backend, request: ExplainRequest): Promise<ExplainResult> {
  if (backend.explain) return backend.explain(request);
  return Promise.reject(
    new UnsupportedError(
      `The ${backend.kind} backend has no native explanation, and explanation by occlusion is not available in this build yet.`,
    ),
  );
}
