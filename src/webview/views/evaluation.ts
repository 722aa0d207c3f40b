// Evaluate's metrics as a table, and the expected completion's tokens colored like a completion.
import { h } from '../dom';
import type { Run } from '../protocol';
import { formatNumber } from '../scales';
import { completionTokensView } from './tokens';

export function evaluationView(evaluation: NonNullable<Run['evaluation']>): HTMLElement {
  const rows = evaluation.metrics.map((metric) =>
    h(
      'tr',
      { 'data-metric': metric.name },
      h('th', { scope: 'row' }, metric.name),
      h(
        'td',
        { class: 'num' },
        typeof metric.value === 'number'
          ? formatNumber(metric.value, 4)
          : metric.value === null
            ? '–'
            : metric.value
              ? 'yes'
              : 'no',
      ),
    ),
  );
  return h(
    'div',
    { class: 'evaluation' },
    h('p', {}, 'Expected: ', h('q', {}, evaluation.expected)),
    h('table', { class: 'metrics', 'aria-label': 'Evaluation metrics' }, h('tbody', {}, rows)),
    completionTokensView(
      evaluation.tokens.map((t) => ({ ...t, top: [] })),
      evaluation.expected,
      'Tokens of the expected completion',
    ),
    ...(evaluation.scoring === undefined
      ? []
      : [h('p', { class: 'muted' }, `Scoring: ${evaluation.scoring}.`)]),
  );
}
