// The shown run: what was sent, and its result drawn as pictures.
import { h } from '../dom';
import { DEMO_PROFILE_NAME, SIMULATED_NOTE } from '../../core/profile';
import type { Run } from '../protocol';
import type { Running } from '../state';
import { evaluationView } from './evaluation';
import { explanationView } from './explanation';
import { runTitle } from './history';
import { visibleWhitespace } from '../../core/format';
import { isRetryableKind } from '../../core/errors';
import { completionTokensView, promptTokensView } from './tokens';

export function runningView(running: Running): HTMLElement {
  const progress = running.total ? ` ${running.done ?? 0} of ${running.total} scoring calls` : '';
  return h(
    'section',
    { class: 'result', 'aria-busy': 'true', 'aria-labelledby': 'result-title' },
    h('h2', { id: 'result-title' }, `Running ${running.action}…${progress}`),
    running.text ? h('pre', { class: 'completion-text streaming' }, running.text) : null,
  );
}

/**
 * `onRetry` runs the shown run's action again with the form's values: offered on a failure another
 * try may cure (a timeout, a lost connection, 429, 503), while the panel shows the run's file.
 */
export function resultView(
  run: Run,
  targetIndex: number,
  onTarget: (index: number) => void,
  onRetry?: () => void,
): HTMLElement {
  const section = h(
    'section',
    { class: 'result', 'aria-labelledby': 'result-title', 'data-run-id': run.id, 'data-action': run.action },
    h('h2', { id: 'result-title' }, runTitle(run)),
  );
  if (run.profile === DEMO_PROFILE_NAME) section.append(h('p', { class: 'simulated-note' }, SIMULATED_NOTE));
  if (run.error) {
    section.append(
      h(
        'div',
        { class: 'error-box', role: 'alert', 'data-kind': run.error.kind },
        h('strong', {}, `${run.error.kind}: `),
        run.error.message,
        onRetry && isRetryableKind(run.error.kind)
          ? h(
              'p',
              { class: 'error-actions' },
              h('button', { id: 'retry', type: 'button', onclick: onRetry }, 'Retry'),
              ` runs ${run.action} again with the values in the form.`,
            )
          : null,
      ),
    );
    return section;
  }
  if (run.completion) {
    section.append(
      h(
        'details',
        { class: 'prompt-sent' },
        h('summary', {}, 'Prompt sent (whitespace shown: · space, ↵ newline, ⊣ end)'),
        h('pre', { class: 'whitespace-visible' }, ...markWhitespace(run.promptText)),
      ),
      h('h3', {}, `Completion (${run.completion.finishReason})`),
      completionTokensView(
        run.completion.tokens,
        run.completion.text,
        'Completion tokens (arrow keys step through them)',
      ),
    );
    if (run.completion.others) section.append(otherCompletionsView(run.completion.others));
  }
  if (run.evaluation) section.append(evaluationView(run.evaluation));
  if (run.explanation) section.append(explanationView(run, run.explanation, targetIndex, onTarget));
  if (run.tokens) section.append(promptTokensView(run.tokens));
  return section;
}

/** The other completions of an `n` > 1 reply, numbered as the server sent them. */
function otherCompletionsView(
  others: { index?: number | undefined; text: string; finishReason: string }[],
): HTMLElement {
  const numbers = others.map((other, i) => (other.index ?? i + 1) + 1);
  return h(
    'details',
    { class: 'other-completions', open: true },
    h(
      'summary',
      {},
      `${others.length} more ${others.length === 1 ? 'completion' : 'completions'} (n = ${Math.max(...numbers)})`,
    ),
    ...others.map((other, i) =>
      h(
        'section',
        { class: 'other-completion', 'aria-label': `Completion ${numbers[i]}` },
        h('h4', {}, `Completion ${numbers[i]} (${other.finishReason})`),
        other.text === ''
          ? h('p', { class: 'empty-completion' }, 'Empty: the model stopped before writing anything.')
          : h('pre', { class: 'completion-text' }, other.text),
      ),
    ),
  );
}

/** The prompt as sent, whitespace marks dimmed so the text itself stays readable. */
function markWhitespace(text: string): (string | HTMLElement)[] {
  return visibleWhitespace(text)
    .split(/([·⇥↵⊣])/)
    .filter((part) => part !== '')
    .map((part) => (/^[·⇥↵⊣]$/.test(part) ? h('span', { class: 'ws' }, part) : part));
}
