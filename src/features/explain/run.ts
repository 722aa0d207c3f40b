import * as vscode from 'vscode';
import type { Backend, ExplainRequest, ExplainResult, Granularity } from '../../core/backend';
import { CancelledError } from '../../core/errors';
import { explain, planExplanation } from '../../core/explain/index';
import { config } from '../../config';
import { withCancellableProgress } from '../progress';

const GRANULARITIES = new Set(['auto', 'token', 'word', 'sentence', 'paragraph']);

/** Granularity, postprocessing and normalization from the settings; per-token targets for stepping. */
export function explainOptions(): Pick<
  ExplainRequest,
  'granularity' | 'targetGranularity' | 'postprocessing' | 'normalize'
> {
  const type = config.explainGranularity();
  const granularity = (GRANULARITIES.has(type) ? { type } : { type: 'auto' }) as Granularity;
  return {
    granularity,
    targetGranularity: 'token',
    postprocessing: config.explainPostprocessing(),
    normalize: config.explainNormalize(),
  };
}

/** Asks before a run that needs more scoring calls than the threshold; false if the user declines. */
export async function confirmCost(backend: Backend, request: ExplainRequest): Promise<boolean> {
  const plan = await planExplanation(backend, request);
  if (plan.calls <= config.explainCostThreshold()) return true;
  const run = 'Run';
  const choice = await vscode.window.showWarningMessage(
    `Run ${plan.calls} scoring call${plan.calls === 1 ? '' : 's'}?`,
    {
      modal: true,
      detail: `Explaining this target by occlusion scores ${plan.segments} prompt segments, one call each. The threshold is set by "promptLens.explain.costThreshold".`,
    },
    run,
  );
  return choice === run;
}

/** Runs the explanation under a cancellable progress notification showing done/total calls. */
export function explainWithProgress(backend: Backend, request: ExplainRequest): Thenable<ExplainResult> {
  return withCancellableProgress('Prompt Lens: explaining the target', (signal, progress) => {
    // Settles at once on Cancel, even while a scoring call is still winding down.
    const cancelled = new Promise<never>((_, reject) => {
      const onAbort = (): void => reject(new CancelledError('Explanation cancelled.'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    cancelled.catch(() => undefined);
    let reported = 0;
    const onProgress = (done: number, total: number) => {
      const increment = total > 0 ? ((done - reported) / total) * 100 : 0;
      reported = done;
      progress.report({ message: `${done}/${total} scoring calls`, increment });
    };
    return Promise.race([explain(backend, { ...request, signal, onProgress }), cancelled]);
  });
}
