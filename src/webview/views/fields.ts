// The form's typed values, per file: the template's variables (multi-line where the value is, read-only
// where a text field would change it, saved as defaults all or none) and Expected and Target, each
// labelled "from the file" or "edited here".
import { h } from '../dom';
import { editsOf, setTyped, setVar, targetsFor, varsToSave, withEdits, type FileEdits } from '../fileEdits';
import type { FormTarget } from '../../core/useCases/target';
import type { FormField } from '../protocol';
import type { State } from '../state';
import { whitespaceNotes } from '../whitespace';
import type { FormActions } from './form';

/** Visible rows of a multi-line field at most (it scrolls past that). */
const MAX_ROWS = 12;

function editFile(state: State, actions: FormActions, edits: FileEdits): void {
  actions.persist({ files: withEdits(state.persisted.files, state.prompt.uri, edits) });
}

/** Words on the whitespace a field hides, updated as the user types. */
function notesLine(id: string, text: string): HTMLElement {
  const notes = whitespaceNotes(text);
  return h(
    'span',
    { id: `${id}-ws`, class: 'ws-notes muted', 'aria-live': 'polite' },
    notes.length > 0 ? `Whitespace: ${notes.join('; ')}` : '',
  );
}

/** A text input, or a textarea for multi-line text; the value is set exactly as given. */
function textField(
  id: string,
  value: string,
  multiline: boolean,
  onInput: (text: string) => void,
  attributes: Record<string, string | undefined> = {},
): HTMLInputElement | HTMLTextAreaElement {
  if (multiline) {
    const rows = Math.min(MAX_ROWS, Math.max(2, value.split('\n').length));
    const area = h('textarea', { id, rows, wrap: 'off', spellcheck: 'false', ...attributes });
    area.value = value;
    area.addEventListener('input', () => onInput(area.value));
    return area;
  }
  const input = h('input', {
    id,
    type: 'text',
    spellcheck: 'false',
    title: 'Shift+Enter starts a new line',
    ...attributes,
  });
  input.value = value;
  input.addEventListener('input', () => onInput(input.value));
  // A text input drops the line breaks of pasted text: the text goes in whole, and the field, now
  // multi-line, is drawn as a textarea. Shift+Enter starts a new line the same way.
  input.addEventListener('paste', (event) => {
    const text = event.clipboardData?.getData('text/plain') ?? '';
    if (!/[\r\n]/.test(text)) return;
    event.preventDefault();
    // As a textarea takes pasted text: line breaks as \n.
    insertText(input, text.replace(/\r\n?/g, '\n'), onInput);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !event.shiftKey) return;
    event.preventDefault();
    insertText(input, '\n', onInput);
  });
  return input;
}

/**
 * Reports the input's value with `text` in place of its selection (an input cannot hold a line break
 * itself), then puts the caret after `text` in the field drawn for the new value (same id).
 */
function insertText(input: HTMLInputElement, text: string, onInput: (text: string) => void): void {
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? start;
  const caret = start + text.length;
  onInput(input.value.slice(0, start) + text + input.value.slice(end));
  const field = document.getElementById(input.id);
  if (field instanceof HTMLTextAreaElement || field instanceof HTMLInputElement) {
    field.focus();
    field.setSelectionRange(caret, caret);
  }
}

function origin(id: string, shown: FormTarget, reset: () => void): HTMLElement | null {
  if (shown.origin === 'none') return null;
  return h(
    'span',
    { class: 'origin', id: `${id}-origin` },
    h('span', { class: `badge ${shown.origin}` }, shown.origin === 'file' ? 'from the file' : 'edited here'),
    shown.origin === 'edited'
      ? h(
          'button',
          { type: 'button', class: 'link', id: `${id}-reset`, onclick: reset },
          "Reset to the file's value",
        )
      : null,
  );
}

/** Expected (Evaluate) and Target (Explain) of the file shown. */
export function targetsFieldset(state: State, actions: FormActions): HTMLElement {
  const edits = editsOf(state.persisted.files, state.prompt.uri);
  const shown = targetsFor(state.prompt, edits);
  const row = (key: 'expected' | 'target', label: string, value: FormTarget): HTMLElement[] => {
    const set = (text: string | undefined): void => editFile(state, actions, setTyped(edits, key, text));
    const field = textField(key, value.text, value.text.includes('\n'), set, {
      'aria-describedby': `${key}-origin ${key}-ws expected-hint`,
    });
    return [
      h('label', { for: key }, label),
      h(
        'div',
        { class: 'field' },
        field,
        h(
          'span',
          { class: 'field-notes' },
          origin(key, value, () => set(undefined)),
          notesLine(key, value.text),
        ),
      ),
    ];
  };
  return h(
    'fieldset',
    { class: 'grid', id: 'targets' },
    h('legend', {}, `Expected and target (for ${state.prompt.fileName || 'this file'})`),
    ...row('expected', 'Expected', shown.expected),
    ...row('target', 'Target', shown.target),
    h(
      'span',
      { id: 'expected-hint', class: 'muted span2' },
      'Evaluate scores the expected completion; Explain explains the target token by token. Values typed here are kept for this file only.',
    ),
  );
}

function varRow(state: State, actions: FormActions, field: FormField, edits: FileEdits): HTMLElement[] {
  const id = `var-${field.key}`;
  const label = h('label', { for: id }, field.key);
  if (!field.editable) {
    return [
      label,
      h(
        'div',
        { class: 'field' },
        h('output', { id, class: 'readonly', title: field.reason ?? '' }, field.display),
        h(
          'span',
          { class: 'muted reason', id: `${id}-reason` },
          `Read-only: ${field.reason ?? 'edit it in the file'}`,
        ),
      ),
    ];
  }
  const typed = edits.vars[field.key];
  const value = typed ?? field.display;
  const edited = typed !== undefined;
  const control = textField(
    id,
    value,
    field.multiline === true || value.includes('\n'),
    (text) => editFile(state, actions, setVar(edits, field.key, text, field.display)),
    { class: edited ? 'changed' : undefined, 'aria-describedby': `${id}-ws` },
  );
  return [
    label,
    h(
      'div',
      { class: 'field' },
      control,
      h(
        'span',
        { class: 'field-notes' },
        edited ? h('span', { class: 'badge edited' }, 'edited here') : null,
        notesLine(id, value),
      ),
    ),
  ];
}

/** The template's variables: typed values are used for runs, and written to the file only on request. */
export function varsFieldset(state: State, actions: FormActions): HTMLElement {
  const { prompt } = state;
  const fieldset = h('fieldset', { class: 'grid', id: 'vars' }, h('legend', {}, 'Variables (for runs)'));
  if (prompt.vars.length === 0) {
    fieldset.append(h('span', { class: 'muted span2' }, 'The template uses no variables.'));
    return fieldset;
  }
  const edits = editsOf(state.persisted.files, prompt.uri);
  for (const field of prompt.vars) fieldset.append(...varRow(state, actions, field, edits));
  const toSave = varsToSave(prompt, edits);
  const changed = Object.keys(toSave).length;
  fieldset.append(
    h(
      'span',
      { class: 'span2 inline' },
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: 'save-vars',
          disabled: changed === 0,
          title: 'Write every edited variable to the front matter, or none if any cannot be written exactly',
          onclick: () => actions.send({ type: 'vars/save', uri: prompt.uri, values: toSave }),
        },
        changed > 1 ? `Save ${changed} as defaults in the file` : 'Save as defaults in the file',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: 'reset-vars',
          disabled: changed === 0,
          onclick: () => editFile(state, actions, { ...edits, vars: {} }),
        },
        'Reset',
      ),
    ),
  );
  return fieldset;
}
