// Turns an explanation result into what the editor paints: the scored spans of the prompt text and
// one view of scores per target token, plus a view of the complete target shown first.
import type { ExplainResult, Explanation } from '../backend';
import { promptSpans } from './projection';

export { textItemStarts } from './projection';

/** A scored span of the prompt's text (the text items joined), [start, end). */
export interface PromptSpan {
  start: number;
  end: number;
}

export interface HeatView {
  /** The target, or the target token, this view explains. */
  target: string;
  /** 0-based index among the target tokens; absent for the complete target. */
  token?: number;
  /** Score of each span of `ExplanationViews.spans`; undefined where this view has none. */
  scores: (number | undefined)[];
}

export interface ExplanationViews {
  spans: PromptSpan[];
  complete: HeatView;
  /** Per-token views (empty when the target is one token or the backend explained it whole). */
  tokens: HeatView[];
}

/**
 * @param textItemStarts for each prompt item, where its text starts in the joined prompt text, or
 *   undefined for items that are not text (images, token ids).
 */
export function explanationViews(
  result: ExplainResult,
  target: string,
  textItemStarts: readonly (number | undefined)[],
): ExplanationViews {
  const perExplanation = result.explanations.map((explanation) => promptScores(explanation, textItemStarts));
  const keys = new Map<string, number>();
  const spans: PromptSpan[] = [];
  for (const scores of perExplanation) {
    for (const s of scores) {
      const key = `${s.start}:${s.end}`;
      if (!keys.has(key)) {
        keys.set(key, spans.length);
        spans.push({ start: s.start, end: s.end });
      }
    }
  }
  // Spans in text order, the order every view's scores follow.
  const order = spans
    .map((_, i) => i)
    .sort(
      (a, b) =>
        (spans[a] as PromptSpan).start - (spans[b] as PromptSpan).start ||
        (spans[a] as PromptSpan).end - (spans[b] as PromptSpan).end,
    );
  const sortedSpans = order.map((i) => spans[i] as PromptSpan);
  const position = new Map<string, number>(sortedSpans.map((s, i) => [`${s.start}:${s.end}`, i]));
  const views: HeatView[] = result.explanations.map((explanation, index) => {
    const scores: (number | undefined)[] = sortedSpans.map(() => undefined);
    for (const s of perExplanation[index] ?? []) {
      const at = position.get(`${s.start}:${s.end}`) as number;
      scores[at] = (scores[at] ?? 0) + s.score;
    }
    return { target: explanation.target, scores };
  });

  if (views.length <= 1) {
    return { spans: sortedSpans, complete: { target, scores: views[0]?.scores ?? [] }, tokens: [] };
  }
  const wholeIndex = views.findIndex((view) => view.target === target);
  const tokens = views.filter((_, i) => i !== wholeIndex).map((view, token) => ({ ...view, token }));
  const whole = views[wholeIndex];
  const complete: HeatView = whole
    ? { target, scores: whole.scores }
    : { target, scores: sumViews(tokens, sortedSpans.length) };
  return { spans: sortedSpans, complete, tokens };
}

/** The complete target's scores as the sum over its tokens' scores (undefined where no token has one). */
export function sumViews(views: readonly HeatView[], spanCount: number): (number | undefined)[] {
  const sums: (number | undefined)[] = new Array<number | undefined>(spanCount).fill(undefined);
  for (const view of views) {
    view.scores.forEach((score, i) => {
      if (score !== undefined) sums[i] = (sums[i] ?? 0) + score;
    });
  }
  return sums;
}

function promptScores(
  explanation: Explanation,
  textItemStarts: readonly (number | undefined)[],
): { start: number; end: number; score: number }[] {
  return promptSpans(explanation, textItemStarts).map((s) => ({
    start: s.start,
    end: s.start + s.length,
    score: s.score,
  }));
}
