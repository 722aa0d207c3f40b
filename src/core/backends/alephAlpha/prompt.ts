/** Core prompts to Aleph Alpha's prompt wire format (spec section 2). */
import type { ImageControl, Prompt, PromptItem, TextControl, TokenControl } from '../../backend';
import { PromptLensError } from '../../errors';
import { OffsetMap } from './offsets';

type WireOverlap = { token_overlap?: 'partial' | 'complete' };
export type WireTextControl = { start: number; length: number; factor: number } & WireOverlap;
export type WireImageControl = {
  rect: { left: number; top: number; width: number; height: number };
  factor: number;
} & WireOverlap;
export type WireTokenControl = { index: number; factor: number };

export type WirePromptItem =
  | { type: 'text'; data: string; controls?: WireTextControl[] }
  | { type: 'image'; data: string; x?: number; y?: number; size?: number; controls?: WireImageControl[] }
  | { type: 'token_ids'; data: number[]; controls?: WireTokenControl[] };

/** Always the item-array form (like the Python client), so explanations line up with items. */
export function toWirePrompt(prompt: Prompt): WirePromptItem[] {
  if (typeof prompt === 'string') return [{ type: 'text', data: prompt }];
  return prompt.map(toWireItem);
}

/** The prompt as items, a string prompt being one text item (explanations are per item). */
export function promptItems(prompt: Prompt): PromptItem[] {
  return typeof prompt === 'string' ? [{ type: 'text', text: prompt }] : prompt;
}

function toWireItem(item: PromptItem): WirePromptItem {
  switch (item.type) {
    case 'text': {
      const controls = item.controls?.length ? textControls(item.text, item.controls) : undefined;
      return { type: 'text', data: item.text, ...(controls ? { controls } : {}) };
    }
    case 'image':
      return imageItem(item);
    case 'token_ids':
      return {
        type: 'token_ids',
        data: item.ids,
        ...(item.controls?.length ? { controls: item.controls.map(tokenControl) } : {}),
      };
  }
}

/** Core text controls count UTF-16 units; the wire counts code points. */
function textControls(text: string, controls: TextControl[]): WireTextControl[] {
  const offsets = new OffsetMap(text);
  return controls.map((control) => ({
    ...offsets.spanToCodePoints(control.start, control.length),
    factor: control.factor,
    ...overlap(control.tokenOverlap),
  }));
}

function imageItem(item: Extract<PromptItem, { type: 'image' }>): WirePromptItem {
  if (item.data.startsWith('data:')) {
    throw new PromptLensError('bad-request', 'Image data must be plain base64 without a "data:" prefix.');
  }
  const crop = [item.x, item.y, item.size];
  const given = crop.filter((value) => value !== undefined).length;
  if (given !== 0 && given !== 3) {
    throw new PromptLensError(
      'bad-request',
      'An image crop needs x, y and size together. Give all three or none.',
    );
  }
  const controls = item.controls?.length ? item.controls.map(imageControl) : undefined;
  return {
    type: 'image',
    data: item.data,
    ...(item.x !== undefined && item.y !== undefined && item.size !== undefined
      ? { x: item.x, y: item.y, size: item.size }
      : {}),
    ...(controls ? { controls } : {}),
  };
}

function imageControl(control: ImageControl): WireImageControl {
  const { left, top, width, height } = control.rect;
  return { rect: { left, top, width, height }, factor: control.factor, ...overlap(control.tokenOverlap) };
}

function tokenControl(control: TokenControl): WireTokenControl {
  return { index: control.index, factor: control.factor };
}

function overlap(value: 'partial' | 'complete' | undefined): WireOverlap {
  return value === undefined ? {} : { token_overlap: value };
}
