/**
 * Which server slot holds which prompt, so that a request whose prompt starts like an earlier one
 * goes back to that slot (`id_slot`, renamed `slot_id` for old servers) and, with
 * `cache_prompt: true`, only the new tail is processed. A hosted server (a shared front end, or an
 * old server that takes the first free slot) does not choose the slot by prefix itself.
 */

interface Remembered {
  prompt: string;
  slot: number;
}

/** Prompts remembered: a few per slot is plenty. */
const MAX_REMEMBERED = 16;
/** A prefix shorter than this share of the remembered prompt is not worth pinning a slot for. */
const MIN_SHARED = 0.5;

export class SlotMemory {
  private remembered: Remembered[] = [];

  /** The slot holding the longest prefix of `prompt`, if it is worth going back to. */
  slotFor(prompt: string): number | undefined {
    let best: { slot: number; shared: number } | undefined;
    for (const entry of this.remembered) {
      const shared = commonPrefixLength(entry.prompt, prompt);
      if (shared === 0 || shared < MIN_SHARED * entry.prompt.length) continue;
      if (!best || shared > best.shared) best = { slot: entry.slot, shared };
    }
    return best?.slot;
  }

  /** After a reply: `slot` now holds `prompt` (and no longer what it held before). */
  remember(prompt: string, slot: number | undefined): void {
    if (slot === undefined || slot < 0) return;
    this.remembered = this.remembered.filter((e) => e.slot !== slot && e.prompt !== prompt);
    this.remembered.push({ prompt, slot });
    if (this.remembered.length > MAX_REMEMBERED) this.remembered.shift();
  }

  forget(): void {
    this.remembered = [];
  }
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
