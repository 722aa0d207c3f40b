// Non-text items travelling through a text template, as Aleph Alpha's PromptTemplate does: each item
// gets a unique marker string; after rendering, the output is split at the markers into items.
import type { Prompt, PromptItem } from '../backend';

export type PlaceholderItem = Exclude<PromptItem, { type: 'text' }>;

export class Placeholders {
  private readonly items = new Map<string, PlaceholderItem>();

  /** Registers an image or token-ids item and returns the marker to put in a variable. */
  placeholder(item: PlaceholderItem): string {
    const marker = globalThis.crypto.randomUUID();
    this.items.set(marker, item);
    return marker;
  }

  get(marker: string): PlaceholderItem | undefined {
    return this.items.get(marker);
  }

  get size(): number {
    return this.items.size;
  }

  markers(): string[] {
    return [...this.items.keys()];
  }

  /** Copies another registry's items into this one (the renderer merges the caller's with its own). */
  addAll(other: Placeholders): void {
    for (const [marker, item] of other.items) this.items.set(marker, item);
  }

  /**
   * Flattens a prompt into one string for use as a variable (PromptTemplate `embed_prompt`): text
   * items joined with one space where neither side has whitespace, other items as markers.
   */
  embedPrompt(prompt: Prompt): string {
    if (typeof prompt === 'string') return prompt;
    let out = '';
    let previousText: string | undefined;
    for (const item of prompt) {
      if (item.type !== 'text') {
        out += this.placeholder(item);
        previousText = undefined;
        continue;
      }
      if (item.text === '') continue;
      if (previousText !== undefined && !/\s$/.test(previousText) && !/^\s/.test(item.text)) out += ' ';
      out += item.text;
      previousText = item.text;
    }
    return out;
  }
}

/** Where each registered marker occurs in `text`, in order. */
export function findMarkers(
  text: string,
  placeholders: Placeholders,
): { start: number; end: number; item: PlaceholderItem }[] {
  if (placeholders.size === 0) return [];
  const pattern = new RegExp(placeholders.markers().map(escapeRegExp).join('|'), 'g');
  const found: { start: number; end: number; item: PlaceholderItem }[] = [];
  for (const match of text.matchAll(pattern)) {
    const item = placeholders.get(match[0]);
    if (item && match.index !== undefined)
      found.push({ start: match.index, end: match.index + match[0].length, item });
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
