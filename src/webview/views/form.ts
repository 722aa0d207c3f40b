// The form: profile and model pickers, the front matter's parameters (edited in the file), the
// template's variables and Expected and Target (per file, see ./fields), and the action buttons.
import { h } from '../dom';
import type { FormField, RunAction, Scalar, WebviewToHost } from '../protocol';
import type { Persisted, State } from '../state';
import { targetsFieldset, varsFieldset } from './fields';

export interface FormActions {
  send(message: WebviewToHost): void;
  persist(patch: Partial<Persisted>): void;
  run(action: RunAction): void;
}

const ACTION_LABELS: Record<RunAction, string> = {
  complete: 'Complete',
  evaluate: 'Evaluate',
  explain: 'Explain',
  tokenize: 'Tokens',
};
const ACTION_HINTS: Record<RunAction, string> = {
  complete: 'Complete the prompt and color each generated token by its probability',
  evaluate: 'Score the expected completion',
  explain: 'Explain the target: which parts of the prompt made it likely',
  tokenize: "Show the prompt's tokens",
};

/** Reads a typed value back in the type of the value it replaces. */
export function parseValue(text: string, previous: unknown): Scalar {
  if (
    typeof previous === 'number' ||
    (previous === undefined && /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text.trim()))
  ) {
    const number = Number(text);
    return text.trim() !== '' && Number.isFinite(number) ? number : text;
  }
  if (typeof previous === 'boolean' || previous === undefined) {
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  if (text === 'null' && previous === null) return null;
  return text;
}

export function formView(state: State, actions: FormActions): HTMLElement {
  const { prompt, persisted } = state;
  const running = state.running !== undefined;
  const form = h('section', { class: 'form', 'aria-label': 'Prompt and parameters' });

  form.append(
    h(
      'header',
      { class: 'prompt-header' },
      h('h2', { id: 'prompt-name' }, prompt.hasDocument ? prompt.fileName : 'No prompt open'),
      prompt.hasDocument && !prompt.isPromptFile
        ? h('span', { class: 'muted' }, 'whole document as prompt')
        : null,
    ),
  );
  if (prompt.problems.length > 0) {
    form.append(
      h(
        'ul',
        { class: 'problems', role: 'alert' },
        prompt.problems.slice(0, 3).map((problem) => h('li', {}, problem)),
      ),
    );
  }

  // Profile and model pickers.
  const profileSelect = h(
    'select',
    {
      id: 'profile',
      onchange: () => {
        actions.persist({ profile: profileSelect.value, model: '' });
        actions.send({ type: 'models/list', ...(profileSelect.value && { profile: profileSelect.value }) });
      },
    },
    h(
      'option',
      { value: '' },
      `${prompt.backend ? `File: ${prompt.backend}` : `Active: ${state.activeProfile || 'none'}`}`,
    ),
    state.profiles.map((p) =>
      h('option', { value: p.name, selected: p.name === persisted.profile }, `${p.name} (${p.kind})`),
    ),
  );
  const models = state.models?.list ?? [];
  const modelSelect = h(
    'select',
    { id: 'model', onchange: () => actions.persist({ model: modelSelect.value }) },
    h('option', { value: '' }, prompt.model ? `File: ${prompt.model}` : 'Default model'),
    [...new Set([...models, ...(persisted.model ? [persisted.model] : [])])].map((id) =>
      h('option', { value: id, selected: id === persisted.model }, id),
    ),
  );
  form.append(
    h(
      'div',
      { class: 'pickers' },
      h('label', { for: 'profile' }, 'Profile'),
      profileSelect,
      h('label', { for: 'model' }, 'Model'),
      h(
        'div',
        { class: 'inline' },
        modelSelect,
        h(
          'button',
          {
            type: 'button',
            class: 'secondary icon',
            id: 'refresh-models',
            'aria-label': 'Refresh the model list',
            title: 'Refresh the model list',
            onclick: () =>
              actions.send({ type: 'models/list', ...(persisted.profile && { profile: persisted.profile }) }),
          },
          '↻',
        ),
      ),
      state.models?.error
        ? h('p', { class: 'error-text', role: 'status' }, `Models: ${state.models.error}`)
        : null,
    ),
  );

  if (prompt.isPromptFile) form.append(paramsFieldset(state, actions), varsFieldset(state, actions));

  form.append(targetsFieldset(state, actions));

  const buttons = h(
    'div',
    { class: 'actions', role: 'toolbar', 'aria-label': 'Run' },
    (['complete', 'evaluate', 'explain', 'tokenize'] as const).map((action) =>
      h(
        'button',
        {
          type: 'button',
          id: `run-${action}`,
          title: ACTION_HINTS[action],
          'aria-label': ACTION_HINTS[action],
          disabled: running || !prompt.hasDocument,
          onclick: () => actions.run(action),
        },
        ACTION_LABELS[action],
      ),
    ),
    running
      ? h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            id: 'run-cancel',
            onclick: () => actions.send({ type: 'run/cancel' }),
          },
          'Cancel',
        )
      : null,
  );
  form.append(buttons);
  return form;
}

function paramsFieldset(state: State, actions: FormActions): HTMLElement {
  const { prompt } = state;
  const set = (path: ['params', string] | ['model'], value: Scalar): void =>
    actions.send({ type: 'frontMatter/set', path, value });
  const fieldset = h(
    'fieldset',
    { class: 'grid', id: 'params' },
    h('legend', {}, 'Parameters (saved in the file)'),
  );
  if (prompt.params.length === 0)
    fieldset.append(h('span', { class: 'muted span2' }, 'The front matter sets no parameters.'));
  for (const field of prompt.params)
    fieldset.append(...paramInput(field, (value) => set(['params', field.key], value)));

  // Add a parameter the backend knows.
  if (prompt.knownParams.length > 0) {
    const name = h(
      'select',
      { id: 'new-param-name', 'aria-label': 'Parameter to add' },
      prompt.knownParams.map((key) => h('option', { value: key }, key)),
    );
    const value = h('input', {
      id: 'new-param-value',
      type: 'text',
      'aria-label': 'Value of the parameter to add',
      placeholder: 'value',
    });
    const add = (): void => {
      if (value.value.trim() === '') return;
      set(['params', name.value], parseValue(value.value.trim(), undefined));
    };
    value.addEventListener('keydown', (event) => event.key === 'Enter' && add());
    fieldset.append(
      h(
        'span',
        { class: 'span2 inline add-param' },
        name,
        value,
        h('button', { type: 'button', class: 'secondary', id: 'add-param', onclick: add }, 'Add'),
      ),
    );
  }
  return fieldset;
}

function paramInput(field: FormField, commit: (value: Scalar) => void): HTMLElement[] {
  const id = `param-${field.key}`;
  const label = h('label', { for: id }, field.key);
  if (!field.editable)
    return [
      label,
      h('output', { id, class: 'muted', title: 'Edit lists and mappings in the editor' }, field.display),
    ];
  if (typeof field.value === 'boolean') {
    const box = h('input', {
      id,
      type: 'checkbox',
      checked: field.value,
      onchange: () => commit(box.checked),
    });
    return [label, box];
  }
  const input = h('input', {
    id,
    type: typeof field.value === 'number' ? 'number' : 'text',
    step: typeof field.value === 'number' ? 'any' : undefined,
    value: field.display,
    onchange: () => commit(parseValue(input.value, field.value)),
  });
  return [label, input];
}
