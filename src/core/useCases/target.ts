// What Evaluate scores and what Explain explains, decided once for every surface.
import type { PromptFileSettings } from '../promptFile/index';

export type TargetPurpose = 'evaluate' | 'explain';

/**
 * The text a request targets when the user gave none: Evaluate scores `expected`; Explain explains
 * `target`, else `expected` (a file that says what it expects can be asked why at once).
 */
export function targetFromSettings(
  purpose: TargetPurpose,
  settings: PromptFileSettings | undefined,
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
