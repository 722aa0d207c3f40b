// What the user typed in the panel, kept per file (by document URI) for the session: switching
// files shows each file's own values, and a run sends only the values of the file shown.
import { formTarget, type FormTarget } from '../core/useCases/target';
import type { PromptState } from './protocol';

export interface FileEdits {
  /** Variable values typed over the file's defaults. */
  vars: Record<string, string>;
  expected?: string;
  target?: string;
}

/** Files whose typed values are kept (the least recently edited are forgotten first). */
export const MAX_FILES_KEPT = 50;

const NO_EDITS: FileEdits = { vars: {} };

export function editsOf(files: Record<string, FileEdits>, uri: string): FileEdits {
  return files[uri] ?? NO_EDITS;
}

const isEmpty = (edits: FileEdits): boolean =>
  Object.keys(edits.vars).length === 0 && edits.expected === undefined && edits.target === undefined;

/** `files` with `uri`'s edits replaced (dropped when empty), most recent last, bounded. */
export function withEdits(
  files: Record<string, FileEdits>,
  uri: string,
  edits: FileEdits,
): Record<string, FileEdits> {
  const rest = Object.entries(files).filter(([key]) => key !== uri);
  if (!isEmpty(edits)) rest.push([uri, edits]);
  return Object.fromEntries(rest.slice(-MAX_FILES_KEPT));
}

/** One typed value set (or, `undefined`, reset to the file's). */
export function setTyped(edits: FileEdits, key: 'expected' | 'target', text: string | undefined): FileEdits {
  const next: FileEdits = { ...edits };
  if (text === undefined) delete next[key];
  else next[key] = text;
  return next;
}

/** A variable typed over its default; typing the default back drops it. */
export function setVar(edits: FileEdits, name: string, text: string, display: string): FileEdits {
  const vars = { ...edits.vars };
  if (text === display) delete vars[name];
  else vars[name] = text;
  return { ...edits, vars };
}

/** Expected and Target for the file shown: typed for it, else its front matter's. */
export function targetsFor(
  prompt: PromptState,
  edits: FileEdits,
): { expected: FormTarget; target: FormTarget } {
  return {
    expected: formTarget('evaluate', edits.expected, prompt),
    target: formTarget('explain', edits.target, prompt),
  };
}

/** What a run of the file shown sends: its own typed variables (those it can edit) and targets. */
export function runValues(
  prompt: PromptState,
  edits: FileEdits,
): { uri: string; vars: Record<string, string>; expected?: string; target?: string } {
  const vars = Object.fromEntries(
    Object.entries(edits.vars).filter(([key]) => prompt.vars.some((v) => v.key === key && v.editable)),
  );
  const { expected, target } = targetsFor(prompt, edits);
  return {
    uri: prompt.uri,
    vars,
    ...(expected.text !== '' && { expected: expected.text }),
    ...(target.text !== '' && { target: target.text }),
  };
}

/** The typed variables "Save as defaults" writes: every edited one the form can edit. */
export function varsToSave(prompt: PromptState, edits: FileEdits): Record<string, string> {
  return runValues(prompt, edits).vars;
}

/** Reads saved per-file edits back defensively (they may come from an older panel). */
export function restoreFiles(saved: unknown): Record<string, FileEdits> {
  if (!saved || typeof saved !== 'object') return {};
  const files: Record<string, FileEdits> = {};
  for (const [uri, value] of Object.entries(saved as Record<string, unknown>).slice(-MAX_FILES_KEPT)) {
    if (!value || typeof value !== 'object') continue;
    const v = value as Record<string, unknown>;
    const vars: Record<string, string> = {};
    if (v['vars'] && typeof v['vars'] === 'object')
      for (const [key, text] of Object.entries(v['vars'] as Record<string, unknown>))
        if (typeof text === 'string') vars[key] = text;
    files[uri] = {
      vars,
      ...(typeof v['expected'] === 'string' && { expected: v['expected'] }),
      ...(typeof v['target'] === 'string' && { target: v['target'] }),
    };
  }
  return files;
}
