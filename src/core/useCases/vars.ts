// A `.prompt` file's variables as a form edits them (text), and saving typed values back as the
// file's defaults: every value checked first, then all written in one edit, or none.
import { isMap, parseDocument } from 'yaml';
import { PromptLensError } from '../errors';
import { splitFrontMatter } from '../promptFile/index';
import { applyTextEdit, frontMatterEdit, type TextEdit } from '../promptFile/frontMatterEdit';

/** How a form shows a variable's default. */
export interface VarFieldView {
  /** The value as text (exactly the value for a string). */
  display: string;
  /** False: shown read-only, with `reason`. */
  editable: boolean;
  /** Needs a multi-line field. */
  multiline: boolean;
  reason?: string;
}

/**
 * What a form can show of a variable's default without changing it: text as is (multi-line when it
 * holds a line break), numbers and booleans as text read back in their type; lists, mappings and
 * text with carriage returns (a text field turns `\r\n` into `\n`) are shown read-only.
 */
export function varFieldView(value: unknown): VarFieldView {
  if (value === undefined || value === null) return { display: '', editable: true, multiline: false };
  if (typeof value === 'string') {
    if (value.includes('\r'))
      return {
        display: value,
        editable: false,
        multiline: true,
        reason: 'holds carriage returns (CRLF), which a text field would turn into plain line breaks',
      };
    return { display: value, editable: true, multiline: value.includes('\n') };
  }
  if (typeof value === 'number' || typeof value === 'boolean')
    return { display: String(value), editable: true, multiline: false };
  const what = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : typeof value;
  return {
    display: JSON.stringify(value) ?? String(value),
    editable: false,
    multiline: false,
    reason: `${what}: edit it in the file`,
  };
}

export interface VarProblem {
  name: string;
  reason: string;
}

export type VarDefaultsPlan =
  { ok: true; edit: TextEdit; saved: string[] } | { ok: false; problems: VarProblem[] };

/** The value a typed text saves as, in the type of the default it replaces; a problem when it cannot. */
export function savedValue(
  text: string,
  previous: unknown,
): { value: string | number | boolean } | { problem: string } {
  if (previous === undefined || previous === null || typeof previous === 'string') return { value: text };
  if (typeof previous === 'number') {
    const number = Number(text);
    return text.trim() !== '' && Number.isFinite(number)
      ? { value: number }
      : { problem: `the default is a number and ${JSON.stringify(text)} is not one` };
  }
  if (typeof previous === 'boolean') {
    if (text === 'true' || text === 'false') return { value: text === 'true' };
    return { problem: `the default is true or false and ${JSON.stringify(text)} is neither` };
  }
  return { problem: varFieldView(previous).reason ?? 'the panel cannot write this value' };
}

/**
 * One edit saving every typed variable as the file's default, or the problems that keep any from
 * being written faithfully (then nothing is written). The defaults replaced are read from `source`.
 */
export function planVarDefaults(source: string, typed: Record<string, string>): VarDefaultsPlan {
  const defaults = defaultsIn(source);
  const problems: VarProblem[] = [];
  const values: [string, string | number | boolean][] = [];
  for (const [name, text] of Object.entries(typed)) {
    const saved = savedValue(text, defaults[name]);
    if ('problem' in saved) problems.push({ name, reason: saved.problem });
    else values.push([name, saved.value]);
  }
  // Each value on its own against the file as it is, so every problem is named at once.
  for (const [name, value] of values) {
    try {
      frontMatterEdit(source, ['vars', name], value);
    } catch (error) {
      problems.push({ name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  let text = source;
  for (const [name, value] of values) {
    try {
      text = applyTextEdit(text, frontMatterEdit(text, ['vars', name], value));
    } catch (error) {
      return {
        ok: false,
        problems: [{ name, reason: error instanceof Error ? error.message : String(error) }],
      };
    }
  }
  return { ok: true, edit: minimalEdit(source, text), saved: values.map(([name]) => name) };
}

/** The front matter's `vars:` as YAML reads them (nothing when it has none or does not parse). */
function defaultsIn(source: string): Record<string, unknown> {
  const yaml = splitFrontMatter(source).yaml;
  if (!yaml) return {};
  const doc = parseDocument(yaml.text);
  if (doc.errors.length > 0) return {};
  const vars: unknown = doc.get('vars');
  return isMap(vars) ? (vars.toJSON() as Record<string, unknown>) : {};
}

/** A message naming every problem, for the panel. */
export function varProblemsMessage(problems: VarProblem[]): string {
  const list = problems.map((p) => `\`${p.name}\`: ${p.reason}`).join('; ');
  return `Nothing was saved: ${list}.`;
}

/** Throws the plan's problems as one error (nothing was written). */
export function requireVarDefaults(plan: VarDefaultsPlan): { edit: TextEdit; saved: string[] } {
  if (!plan.ok) throw new PromptLensError('bad-request', varProblemsMessage(plan.problems));
  return plan;
}

/** The single replacement turning `before` into `after` (their common start and end kept). */
function minimalEdit(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  )
    end++;
  // Never split a CRLF or a surrogate pair: an editor cannot address the middle of either.
  const splits = (text: string, at: number): boolean =>
    at > 0 &&
    at < text.length &&
    ((text[at - 1] === '\r' && text[at] === '\n') || /[\uD800-\uDBFF]/.test(text[at - 1] ?? ''));
  while (start > 0 && (splits(before, start) || splits(after, start))) start--;
  while (end > 0 && (splits(before, before.length - end) || splits(after, after.length - end))) end--;
  return { start, end: before.length - end, text: after.slice(start, after.length - end) };
}
