// What Evaluate scores and what Explain explains, decided once for every surface.
import type { PromptFileSettings } from '../promptFile/index';

export type TargetPurpose = 'evaluate' | 'explain';

/** A file's `expected:` and `target:` (as its settings, or a form's copy of them, carry them). */
export interface FileTargets {
  expected?: string | undefined;
  target?: string | undefined;
}

/**
 * The text a request targets when the user gave none: Evaluate scores `expected`; Explain explains
 * `target`, else `expected` (a file that says what it expects can be asked why at once).
 */
export function targetFromSettings(
  purpose: TargetPurpose,
  settings: FileTargets | undefined,
): string | undefined {
  if (!settings) return undefined;
  if (purpose === 'evaluate') return nonEmpty(settings.expected);
  return nonEmpty(settings.target) ?? nonEmpty(settings.expected);
}

/** The user's own text first (a form, a flag), then the file's. */
export function resolveTarget(
  purpose: TargetPurpose,
  given: string | undefined,
  settings: PromptFileSettings | undefined,
): string | undefined {
  return nonEmpty(given) ?? targetFromSettings(purpose, settings);
}

/** Where a form's Expected or Target comes from: the file's front matter, or typed for that file. */
export type TargetOrigin = 'file' | 'edited' | 'none';

export interface FormTarget {
  text: string;
  origin: TargetOrigin;
}

/**
 * What a form shows as Expected (`evaluate`) or Target (`explain`) for one file: the text typed for
 * that very file, else the file's own (`expected:`; `target:`, else `expected:`).
 */
export function formTarget(
  purpose: TargetPurpose,
  typedForFile: string | undefined,
  settings: FileTargets | undefined,
): FormTarget {
  if (typedForFile !== undefined) return { text: typedForFile, origin: 'edited' };
  const fromFile = targetFromSettings(purpose, settings);
  return fromFile !== undefined ? { text: fromFile, origin: 'file' } : { text: '', origin: 'none' };
}

/**
 * The text an input box for a target starts with: the document's own (its front matter), else what
 * was last used for that same document, never another document's.
 */
export function targetPrefill(
  purpose: TargetPurpose,
  settings: FileTargets | undefined,
  lastForDocument: string | undefined,
): string {
  return targetFromSettings(purpose, settings) ?? lastForDocument ?? '';
}

/** Texts remembered per document (keyed by URI), the least recently used forgotten past `limit`. */
export class PerDocumentMemory {
  private readonly values = new Map<string, string>();
  constructor(private readonly limit = 100) {}

  get(uri: string): string | undefined {
    return this.values.get(uri);
  }

  set(uri: string, text: string): void {
    this.values.delete(uri);
    this.values.set(uri, text);
    for (const oldest of this.values.keys()) {
      if (this.values.size <= this.limit) break;
      this.values.delete(oldest);
    }
  }

  delete(uri: string): void {
    this.values.delete(uri);
  }
}

export interface CompletionTarget {
  target: string;
  /** The text before the completion: what produced it. */
  prompt: string;
}

/**
 * The last completion made in a plain-text prompt, when the prompt read now ends with it (it was
 * inserted after the prompt): explained against the text before it, as it was produced.
 */
export function lastCompletionTarget(
  text: string,
  completion: string | undefined,
): CompletionTarget | undefined {
  if (!completion || !text.endsWith(completion) || text.length === completion.length) return undefined;
  return { target: completion, prompt: text.slice(0, text.length - completion.length) };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}
