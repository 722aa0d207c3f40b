// The one projection of an explanation onto the prompt's text: every surface (the editor's heat map,
// the panel, the CLI) starts from these spans, in UTF-16 offsets of the joined text items.
import type { ExplainResult, Explanation, ImageTileScore, Prompt, TextSpanScore } from '../backend';
import { itemsOf } from './segments';

export interface ImageScores {
  /** 0-based among the prompt's images. */
  image: number;
  tiles: ImageTileScore[];
}

export interface ProjectedExplanation {
  target: string;
  /** Non-empty scored spans of the prompt text, in the explanation's order. */
  spans: TextSpanScore[];
  images: ImageScores[];
}

export function projectExplanation(result: ExplainResult, prompt: Prompt): ProjectedExplanation[] {
  const items = itemsOf(prompt);
  const starts = textItemStarts(items);
  const imageNumber = new Map<number, number>();
  items.forEach((item, index) => item.type === 'image' && imageNumber.set(index, imageNumber.size));
  return result.explanations.map((explanation) => ({
    target: explanation.target,
    spans: promptSpans(explanation, starts),
    images: explanation.items.flatMap((item, index) =>
      item.type === 'image' && items[index]?.type === 'image'
        ? [
            {
              image: imageNumber.get(index) ?? 0,
              tiles: item.scores.map(({ rect, score }) => ({ rect, score })),
            },
          ]
        : [],
    ),
  }));
}

/** An explanation's text scores as spans of the joined prompt text (empty spans dropped). */
export function promptSpans(
  explanation: Explanation,
  itemStarts: readonly (number | undefined)[],
): TextSpanScore[] {
  return explanation.items.flatMap((item, index) => {
    const offset = itemStarts[index];
    if (item.type !== 'text' || offset === undefined) return [];
    return item.scores
      .filter((s) => s.length > 0)
      .map((s) => ({ start: offset + s.start, length: s.length, score: s.score }));
  });
}

/** Where each prompt item's text starts in the joined text; undefined for non-text items. */
export function textItemStarts(items: readonly { type: string; text?: string }[]): (number | undefined)[] {
  let at = 0;
  return items.map((item) => {
    if (item.type !== 'text') return undefined;
    const start = at;
    at += item.text?.length ?? 0;
    return start;
  });
}
