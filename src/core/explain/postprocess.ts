// Aleph Alpha's `postprocessing` and `normalize` (API spec section 6.1), applied to one explanation:
// first each raw score is transformed (none | absolute | square), then, with `normalize`, every score
// of the explanation (all items together, the target item included) is rescaled so that the smallest
// becomes 0 and the largest 1; when they are all equal, all become 0.
import type { Explanation, ExplanationItem, Postprocessing } from '../backend';

export function postprocessScore(score: number, postprocessing: Postprocessing = 'none'): number {
  switch (postprocessing) {
    case 'none':
      return score;
    case 'absolute':
      return Math.abs(score);
    case 'square':
      return score * score;
  }
}

/** A new explanation with its scores postprocessed (and normalized). The input is left as it is. */
export function postprocessExplanation(
  explanation: Explanation,
  postprocessing: Postprocessing = 'none',
  normalize = false,
): Explanation {
  const transformed = mapScores(explanation.items, (s) => postprocessScore(s, postprocessing));
  if (!normalize) return { target: explanation.target, items: transformed };
  const all = scoresOf(transformed).filter(Number.isFinite);
  if (all.length === 0) return { target: explanation.target, items: transformed };
  const min = Math.min(...all);
  const range = Math.max(...all) - min;
  return {
    target: explanation.target,
    items: mapScores(transformed, (s) => (range > 0 ? clamp01((s - min) / range) : 0)),
  };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function scoresOf(items: readonly ExplanationItem[]): number[] {
  return items.flatMap((item): number[] => {
    switch (item.type) {
      case 'token_ids':
        return item.scores;
      case 'image':
        return item.scores.map((s) => s.score);
      case 'text':
      case 'target':
        return item.scores.map((s) => s.score);
    }
  });
}

function mapScores(items: readonly ExplanationItem[], f: (score: number) => number): ExplanationItem[] {
  return items.map((item): ExplanationItem => {
    switch (item.type) {
      case 'token_ids':
        return { type: 'token_ids', scores: item.scores.map(f) };
      case 'image':
        return {
          type: 'image',
          scores: item.scores.map((s) => ({ rect: { ...s.rect }, score: f(s.score) })),
        };
      case 'text':
        return { type: 'text', scores: item.scores.map((s) => ({ ...s, score: f(s.score) })) };
      case 'target':
        return { type: 'target', scores: item.scores.map((s) => ({ ...s, score: f(s.score) })) };
    }
  });
}
