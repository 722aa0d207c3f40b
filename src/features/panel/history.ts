// Runs of the panel, kept in the workspace's storage (newest first), bounded in count and size.
import { PANEL_HISTORY_KEY } from '../../ids';
import type * as vscode from 'vscode';
import { runSchema, type Run } from '../../webview/protocol';

const KEY = PANEL_HISTORY_KEY;

export interface HistoryLimits {
  maxRuns: number;
  /** Serialized size (UTF-16 code units of the JSON) kept at most. */
  maxChars: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxRuns: 50, maxChars: 2_000_000 };

export class PanelHistory {
  constructor(
    private readonly storage: vscode.Memento,
    private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
  ) {}

  list(): Run[] {
    const stored = this.storage.get<unknown>(KEY);
    // Stored by an older version or damaged: keep what still reads as a run.
    return Array.isArray(stored)
      ? stored.flatMap((entry) => {
          const parsed = runSchema.safeParse(entry);
          return parsed.success ? [parsed.data] : [];
        })
      : [];
  }

  async add(run: Run): Promise<Run[]> {
    const runs = bound([run, ...this.list().filter((r) => r.id !== run.id)], this.limits);
    await this.storage.update(KEY, runs);
    return runs;
  }

  async clear(): Promise<void> {
    await this.storage.update(KEY, undefined);
  }
}

/** The newest runs that fit the limits; a single run larger than the size cap is kept without its images. */
export function bound(runs: readonly Run[], limits: HistoryLimits): Run[] {
  const kept: Run[] = [];
  let chars = 2;
  for (const run of runs.slice(0, limits.maxRuns)) {
    let candidate = run;
    let size = JSON.stringify(candidate).length + 1;
    if (size > limits.maxChars && run.images.some((image) => image.src)) {
      candidate = { ...run, images: run.images.map(({ at }) => ({ at })) };
      size = JSON.stringify(candidate).length + 1;
    }
    if (chars + size > limits.maxChars) break;
    kept.push(candidate);
    chars += size;
  }
  return kept;
}
