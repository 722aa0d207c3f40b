// The last result of each case, kept in the workspace state across sessions (shown beside the case).
import type { CaseResult } from '../../core/promptTests/index';
import type { Ctx } from '../../ctx';

const KEY = 'promptLens.testResults';
const MAX_ENTRIES = 5000;

export interface StoredResult {
  verdict: CaseResult['verdict'];
  /** The first failure or error, one line. */
  message?: string;
  durationMs: number;
  at: number;
}

export function readHistory(ctx: Ctx): Record<string, StoredResult> {
  const stored = ctx.extension.workspaceState.get<unknown>(KEY);
  return typeof stored === 'object' && stored !== null && !Array.isArray(stored)
    ? (stored as Record<string, StoredResult>)
    : {};
}

export async function recordResults(
  ctx: Ctx,
  results: readonly { id: string; result: CaseResult }[],
): Promise<void> {
  const history = readHistory(ctx);
  for (const { id, result } of results) {
    const message = result.assertions.find((a) => !a.passed)?.message ?? result.error;
    history[id] = {
      verdict: result.verdict,
      durationMs: result.durationMs,
      at: Date.now(),
      ...(message === undefined ? {} : { message: message.slice(0, 300) }),
    };
  }
  const entries = Object.entries(history)
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, MAX_ENTRIES);
  await ctx.extension.workspaceState.update(KEY, Object.fromEntries(entries));
}

export function lastResultLabel(ctx: Ctx, id: string): string | undefined {
  const last = readHistory(ctx)[id];
  if (!last) return undefined;
  return `last: ${last.verdict}`;
}
