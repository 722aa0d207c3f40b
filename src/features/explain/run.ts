import * as vscode from 'vscode';
import type { Backend, ExplainResult } from '../../core/backend';
import { CancelledError } from '../../core/errors';
import { runExplain, type PlannedExplanation } from '../../core/useCases/index';
import { config } from '../../config';
import { withCancellableProgress } from '../common/progress';

/** Asks before a run that needs more scoring calls than the threshold; false if the user declines. */
export async function confirmCost(planned: PlannedExplanation): Promise<boolean> {
  const { plan } = planned;
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

/** Runs a planned explanation under a cancellable progress notification showing done/total calls. */
export function explainWithProgress(backend: Backend, planned: PlannedExplanation): Thenable<ExplainResult> {
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
    return Promise.race([runExplain(backend, planned, { signal, onProgress }), cancelled]);
  });
}
