// What changed between two runs: the numbers the compare view shows beside the two diffs.
import type { Run, ScoredSpan } from './protocol';

/** Sum of the completion's token log-probabilities (null when a token has none), else evaluate's log P. */
export function runLogProbability(run: Run): number | undefined {
  if (run.completion && run.completion.tokens.length > 0) {
    let sum = 0;
    for (const token of run.completion.tokens) {
      if (token.logprob === null) return undefined;
      sum += token.logprob;
    }
    return sum;
  }
  const metric = run.evaluation?.metrics.find((m) => m.name === 'log probability');
  return typeof metric?.value === 'number' ? metric.value : undefined;
}

export interface SegmentDelta {
  text: string;
  before: number | undefined;
  after: number | undefined;
  delta: number | undefined;
}

/** Scores summed over every target token, per segment text (segments repeated in a prompt are numbered). */
export function segmentScores(run: Run): Map<string, number> {
  const scores = new Map<string, number>();
  const targets = run.explanation?.targets ?? [];
  const spans: ScoredSpan[] = targets.flatMap((target) => target.spans);
  const seen = new Map<string, number>();
  const keyOf = new Map<number, string>();
  // One key per distinct segment position, in text order.
  for (const start of [...new Set(spans.map((s) => s.start))].sort((x, y) => x - y)) {
    const first = spans.find((s) => s.start === start);
    if (!first) continue;
    const text = run.promptText.slice(first.start, first.start + first.length).trim() || `@${start}`;
    const count = (seen.get(text) ?? 0) + 1;
    seen.set(text, count);
    keyOf.set(start, count > 1 ? `${text} #${count}` : text);
  }
  for (const span of spans) {
    const key = keyOf.get(span.start);
    if (key !== undefined) scores.set(key, (scores.get(key) ?? 0) + span.score);
  }
  return scores;
}

/** Each segment's explanation score in both runs, the largest changes first. */
export function segmentDeltas(before: Run, after: Run): SegmentDelta[] {
  const a = segmentScores(before);
  const b = segmentScores(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  return keys
    .map((text) => {
      const x = a.get(text);
      const y = b.get(text);
      return { text, before: x, after: y, delta: x !== undefined && y !== undefined ? y - x : undefined };
    })
    .sort((p, q) => magnitude(q.delta) - magnitude(p.delta));
}

/** Known changes first, largest first; segments in only one run last. */
function magnitude(delta: number | undefined): number {
  return delta === undefined ? -1 : Math.abs(delta);
}

/**
 * The parameters, variables, profile and model that differ between two runs, one line each. Values
 * are written as JSON, so a change of whitespace alone (a line break, a trailing space) shows.
 */
export function settingChanges(a: Run, b: Run): string[] {
  const changedKeys = (x: Record<string, unknown>, y: Record<string, unknown>, absent: string): string[] =>
    [...new Set([...Object.keys(x), ...Object.keys(y)])]
      .filter((key) => JSON.stringify(x[key]) !== JSON.stringify(y[key]))
      .map((key) => `${key}: ${JSON.stringify(x[key]) ?? absent} → ${JSON.stringify(y[key]) ?? absent}`);
  return [
    ...changedKeys(a.params, b.params, '(not set)'),
    ...changedKeys(a.vars, b.vars, '(default)'),
    ...(a.profile !== b.profile ? [`profile: ${a.profile} → ${b.profile}`] : []),
    ...(a.model !== b.model ? [`model: ${a.model ?? '–'} → ${b.model ?? '–'}`] : []),
  ];
}
