// Messages between the extension host (or CLI) and the render worker, and the compact form of a
// RenderResult that crosses the thread boundary: the source map as typed arrays (transferred, not
// copied object by object) and the text once, so that receiving a large render costs the host's
// event loop almost nothing. The map becomes objects only when someone reads it.
import type { PromptItem } from '../backend';
import type { FileKind, RefusalReason } from '../files/policy';
import type { RenderOptions, RenderResult, SourceMapEntry, SourceMapKind } from '../promptFile/types';

/** What the worker is told: everything but the file gate (which stays with the host) and placeholders. */
export type WorkerRenderOptions = Omit<RenderOptions, 'files' | 'placeholders'>;

export type ToWorker =
  | { type: 'render'; id: number; source: string; options: WorkerRenderOptions }
  | {
      type: 'read-result';
      readId: number;
      bytes?: Uint8Array;
      error?: { reason: RefusalReason; message: string };
    };

export type FromWorker =
  | { type: 'read'; id: number; readId: number; kind: FileKind; path: string; fromDir: string }
  | { type: 'done'; id: number; result: EncodedResult }
  | { type: 'failed'; id: number; message: string };

const KINDS: SourceMapKind[] = ['text', 'output', 'tag'];
/** More are not shown to anyone, and a hostile template could make millions. */
export const MAX_DIAGNOSTICS = 1000;

export interface EncodedResult {
  text: string;
  /** Non-text items with their index among all items (text items are slices of `text`). */
  others: { index: number; item: PromptItem }[];
  itemCount: number;
  itemStarts: Int32Array;
  /** renderedStart, renderedLength, sourceStart, sourceLength per entry. */
  offsets: Int32Array;
  kinds: Uint8Array;
  /** Index into `strings`, -1 for none. */
  variables: Int32Array;
  strings: string[];
  included: { index: number; file: string; start: number; length: number }[];
  rest: Pick<RenderResult, 'diagnostics' | 'settings' | 'ranges' | 'bodyStart'>;
}

export function encodeResult(result: RenderResult): { encoded: EncodedResult; transfer: ArrayBuffer[] } {
  const n = result.map.length;
  const offsets = new Int32Array(n * 4);
  const kinds = new Uint8Array(n);
  const variables = new Int32Array(n);
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const included: EncodedResult['included'] = [];
  result.map.forEach((entry, i) => {
    offsets[i * 4] = entry.renderedStart;
    offsets[i * 4 + 1] = entry.renderedLength;
    offsets[i * 4 + 2] = entry.sourceStart;
    offsets[i * 4 + 3] = entry.sourceLength;
    kinds[i] = Math.max(0, KINDS.indexOf(entry.kind ?? 'text'));
    let variable = -1;
    if (entry.variable !== undefined) {
      variable = stringIndex.get(entry.variable) ?? strings.length;
      if (variable === strings.length) {
        strings.push(entry.variable);
        stringIndex.set(entry.variable, variable);
      }
    }
    variables[i] = variable;
    if (entry.included) included.push({ index: i, ...entry.included });
  });
  const others: EncodedResult['others'] = [];
  result.items.forEach((item, index) => {
    if (item.type !== 'text') others.push({ index, item });
  });
  const diagnostics = result.diagnostics.slice(0, MAX_DIAGNOSTICS);
  const itemStarts = Int32Array.from(result.itemStarts);
  return {
    encoded: {
      text: result.text,
      others,
      itemCount: result.items.length,
      itemStarts,
      offsets,
      kinds,
      variables,
      strings,
      included,
      rest: { diagnostics, settings: result.settings, ranges: result.ranges, bodyStart: result.bodyStart },
    },
    transfer: [offsets.buffer, kinds.buffer, variables.buffer, itemStarts.buffer] as ArrayBuffer[],
  };
}

export function decodeResult(encoded: EncodedResult): RenderResult {
  const { text, itemStarts } = encoded;
  const items: PromptItem[] = new Array<PromptItem>(encoded.itemCount);
  const others = new Map(encoded.others.map((o) => [o.index, o.item]));
  for (let i = 0; i < encoded.itemCount; i++) {
    const other = others.get(i);
    if (other) {
      items[i] = other;
      continue;
    }
    // A text item runs to the next item's start (non-text items take no room in `text`).
    items[i] = { type: 'text', text: text.slice(itemStarts[i] ?? 0, itemStarts[i + 1] ?? text.length) };
  }
  const onlyText = encoded.others.length === 0;
  let map: SourceMapEntry[] | undefined;
  const result = {
    text,
    items,
    prompt: onlyText ? text : items,
    ...encoded.rest,
    itemStarts: Array.from(itemStarts),
  } as Omit<RenderResult, 'map'>;
  // Built on first use: a hover or the panel needs it, the diagnostics and the token count do not.
  Object.defineProperty(result, 'map', {
    enumerable: true,
    get: () => (map ??= decodeMap(encoded)),
  });
  return result as RenderResult;
}

function decodeMap(encoded: EncodedResult): SourceMapEntry[] {
  const { offsets, kinds, variables, strings } = encoded;
  const included = new Map(encoded.included.map(({ index, ...origin }) => [index, origin]));
  const map: SourceMapEntry[] = new Array<SourceMapEntry>(kinds.length);
  for (let i = 0; i < kinds.length; i++) {
    const entry: SourceMapEntry = {
      renderedStart: offsets[i * 4] ?? 0,
      renderedLength: offsets[i * 4 + 1] ?? 0,
      sourceStart: offsets[i * 4 + 2] ?? 0,
      sourceLength: offsets[i * 4 + 3] ?? 0,
      kind: KINDS[kinds[i] ?? 0] ?? 'text',
    };
    const variable = strings[variables[i] ?? -1];
    if (variable !== undefined) entry.variable = variable;
    const origin = included.get(i);
    if (origin) entry.included = origin;
    map[i] = entry;
  }
  return map;
}
