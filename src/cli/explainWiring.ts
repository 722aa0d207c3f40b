import type { Backend, ExplainRequest, ExplainResult } from '../core/backend';
import { explain } from '../core/explain/index';

/** The CLI explains the way the editor does: natively where the backend can, else by occlusion. */
export function explainWith(backend: Backend, request: ExplainRequest): Promise<ExplainResult> {
  return explain(backend, request);
}
