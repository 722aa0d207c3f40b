import * as vscode from 'vscode';

export type ProgressReport = vscode.Progress<{ message?: string; increment?: number }>;

/** Runs `task` under a progress notification whose Cancel button aborts `signal`. */
export function withCancellableProgress<T>(
  title: string,
  task: (signal: AbortSignal, progress: ProgressReport) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, cancellation) => {
      const abort = new AbortController();
      if (cancellation.isCancellationRequested) abort.abort();
      const onCancel = cancellation.onCancellationRequested(() => abort.abort());
      try {
        return await task(abort.signal, progress);
      } finally {
        onCancel.dispose();
      }
    },
  );
}
