// The run history: arrow keys move through the runs, Enter shows one, Space marks it for comparison.
import { h, rovingFocus } from '../dom';
import type { Run } from '../protocol';

const ACTION_NAMES: Record<Run['action'], string> = {
  complete: 'Complete',
  evaluate: 'Evaluate',
  explain: 'Explain',
  tokenize: 'Tokens',
};

export function runTitle(run: Run): string {
  const time = new Date(run.time).toLocaleTimeString();
  return `${ACTION_NAMES[run.action]} · ${time} · ${run.fileName} · ${run.profile}${run.model ? ` / ${run.model}` : ''}`;
}

export function runSummary(run: Run): string {
  if (run.error) return run.error.message;
  if (run.completion) return run.completion.text;
  if (run.evaluation) return `expected “${run.evaluation.expected}”`;
  if (run.explanation) return `target “${run.explanation.target}”`;
  if (run.tokens) return `${run.tokens.length} tokens`;
  return '';
}

export interface HistoryActions {
  show(id: string): void;
  toggleCompare(id: string): void;
  compare(): void;
  clear(): void;
}

export function historyView(
  runs: Run[],
  selected: string | undefined,
  marked: string[],
  actions: HistoryActions,
): HTMLElement {
  const section = h(
    'section',
    { class: 'history', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, `History (${runs.length})`),
  );
  if (runs.length === 0) {
    section.append(h('p', { class: 'muted' }, 'Runs appear here; pick two to compare them.'));
    return section;
  }
  const list = h('ul', {
    class: 'runs',
    role: 'listbox',
    'aria-label': 'Runs, newest first. Enter shows a run, Space marks it for comparison.',
    id: 'runs',
  });
  for (const run of runs) {
    const isMarked = marked.includes(run.id);
    const row = h(
      'li',
      {
        class: `run${isMarked ? ' marked' : ''}`,
        id: `run-${run.id}`,
        role: 'option',
        'aria-selected': String(run.id === selected),
        'data-run-id': run.id,
        onclick: () => actions.show(run.id),
      },
      h('input', {
        type: 'checkbox',
        tabindex: -1,
        checked: isMarked,
        'aria-label': `Compare ${runTitle(run)}`,
        onclick: (event) => {
          event.stopPropagation();
          actions.toggleCompare(run.id);
        },
      }),
      h('span', { class: 'run-title' }, runTitle(run)),
      h('span', { class: 'run-summary' }, runSummary(run).slice(0, 120)),
    );
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') actions.show(run.id);
      else if (event.key === ' ') actions.toggleCompare(run.id);
      else return;
      event.preventDefault();
    });
    list.append(row);
  }
  rovingFocus(list, '.run', 'vertical');
  section.append(
    list,
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', id: 'compare-runs', disabled: marked.length !== 2, onclick: actions.compare },
        marked.length === 2 ? 'Compare the two marked runs' : `Mark two runs to compare (${marked.length}/2)`,
      ),
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'clear-history', onclick: actions.clear },
        'Clear history',
      ),
    ),
  );
  return section;
}
