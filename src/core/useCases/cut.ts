// The prompt before a cursor in a `.prompt` file's source: what ghost text at that cursor continues.
import type { Prompt, PromptItem } from '../backend';
import { sourceToRendered, type RenderResult } from '../promptFile/index';

/** Where the source offset falls in the rendered text (its last rendering, inside a loop). */
export function renderedCut(render: RenderResult, sourceOffset: number): number {
  const spans = sourceToRendered(render.map, sourceOffset);
  const last = spans[spans.length - 1];
  if (last) return last.start;
  // Past every mapped character: everything rendered before the cursor.
  const before = render.map.filter((e) => e.sourceStart + e.sourceLength <= sourceOffset);
  return before.reduce((end, e) => Math.max(end, e.renderedStart + e.renderedLength), 0);
}

/** The rendered prompt cut at `cut` (an offset in `render.text`); non-text items before it stay. */
export function promptBefore(render: RenderResult, cut: number): Prompt {
  if (typeof render.prompt === 'string') return render.text.slice(0, cut);
  const items: PromptItem[] = [];
  render.items.forEach((item, i) => {
    const start = render.itemStarts[i] ?? 0;
    if (item.type === 'text') {
      if (start >= cut) return;
      const length = cut - start;
      const controls = item.controls?.filter((c) => c.start + c.length <= length);
      items.push({
        type: 'text',
        text: item.text.slice(0, length),
        ...(controls && controls.length > 0 && { controls }),
      });
    } else if (start <= cut) items.push(item);
  });
  const onlyText = items.every((item) => item.type === 'text');
  return onlyText ? items.map((item) => (item.type === 'text' ? item.text : '')).join('') : items;
}
