// The segments an occlusion run deletes one at a time: each text item of the prompt is segmented on
// its own (as Aleph Alpha does); images and token ids are never occluded. With `auto` the granularity
// is the one giving about 30 segments over the whole prompt text (`autoGranularity`).
import type { Backend, CallOptions, Granularity, Prompt, PromptItem, Token } from '../backend';
import { isCancellation } from '../errors';
import { autoGranularity, segment, type ConcreteGranularity } from '../segment';

export interface OcclusionSegment {
  /** Index of the prompt item (0 for a string prompt). */
  item: number;
  /** UTF-16 offsets into that item's text. */
  start: number;
  length: number;
  /** Offset of the segment in promptText(prompt): the order the scheduler sorts by. */
  globalStart: number;
}

export interface SegmentPlan {
  granularity: ConcreteGranularity;
  segments: OcclusionSegment[];
}

/** Items of a prompt; a string prompt is one text item. */
export function itemsOf(prompt: Prompt): PromptItem[] {
  return typeof prompt === 'string' ? [{ type: 'text', text: prompt }] : prompt;
}

export async function planSegments(
  backend: Backend,
  prompt: Prompt,
  granularity: Granularity = { type: 'auto' },
  options: CallOptions & { model?: string } = {},
): Promise<SegmentPlan> {
  const items = itemsOf(prompt);
  const needsTokens = granularity.type === 'auto' || granularity.type === 'token';
  const tokens = needsTokens ? await tokensPerItem(backend, items, options) : undefined;
  const fullText = items.map((item) => (item.type === 'text' ? item.text : '')).join('');
  const tokenCount = tokens?.reduce((sum, list) => sum + (list?.length ?? 0), 0);
  const concrete: ConcreteGranularity =
    granularity.type === 'auto' ? autoGranularity(fullText, tokenCount) : granularity;
  const segments: OcclusionSegment[] = [];
  let offset = 0;
  items.forEach((item, index) => {
    if (item.type !== 'text') return;
    for (const span of segment(item.text, concrete, tokens?.[index])) {
      if (span.length > 0)
        segments.push({
          item: index,
          start: span.start,
          length: span.length,
          globalStart: offset + span.start,
        });
    }
    offset += item.text.length;
  });
  return { granularity: concrete, segments };
}

/** The prompt with one segment's characters deleted; everything else (delimiters, other items) stays. */
export function withoutSegment(prompt: Prompt, seg: OcclusionSegment): Prompt {
  const cut = (text: string) => text.slice(0, seg.start) + text.slice(seg.start + seg.length);
  if (typeof prompt === 'string') return cut(prompt);
  return prompt.map((item, index) =>
    index === seg.item && item.type === 'text' ? { ...item, text: cut(item.text) } : item,
  );
}

/**
 * Each text item's tokens, for token granularity and for `auto`'s token count. A backend that cannot
 * tokenize leaves them unknown (token granularity then falls back to words, as `segment` does).
 */
async function tokensPerItem(
  backend: Backend,
  items: readonly PromptItem[],
  options: CallOptions & { model?: string },
): Promise<(Token[] | undefined)[] | undefined> {
  try {
    return await Promise.all(
      items.map((item) =>
        item.type === 'text' && item.text !== ''
          ? backend.tokenize({
              text: item.text,
              ...(options.model === undefined ? {} : { model: options.model }),
              ...(options.signal ? { signal: options.signal } : {}),
            })
          : Promise.resolve(item.type === 'text' ? [] : undefined),
      ),
    );
  } catch (error) {
    if (isCancellation(error) || options.signal?.aborted) throw error;
    return undefined;
  }
}
