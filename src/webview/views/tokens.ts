// Generated tokens colored by probability (details on hover and focus), and the prompt's token view.
import { h, rovingFocus } from '../dom';
import type { TokenLogProbView } from '../protocol';
import { formatNumber, formatPercent, probabilityLevel } from '../scales';

/** Control characters and whitespace made visible inside a token chip. */
export function visibleText(text: string): string {
  return text.replace(/\n/g, '⏎').replace(/\t/g, '⇥') || '∅';
}

export function tokenDetails(token: TokenLogProbView): string {
  if (token.logprob === null) return `"${visibleText(token.text)}": no log-probability from the server`;
  const alternatives = token.top
    .filter((t) => t.text !== token.text)
    .slice(0, 5)
    .map((t) => `"${visibleText(t.text)}" ${formatPercent(Math.exp(t.logprob))}`)
    .join(', ');
  return `"${visibleText(token.text)}": log-probability ${formatNumber(token.logprob)}, probability ${formatPercent(Math.exp(token.logprob))}${alternatives ? `; alternatives: ${alternatives}` : ''}`;
}

/** The completion, one span per token; arrow keys step through the tokens and the details line follows. */
export function completionTokensView(
  tokens: TokenLogProbView[],
  fallbackText: string,
  label: string,
): HTMLElement {
  const details = h(
    'p',
    { class: 'token-details', 'aria-live': 'polite' },
    'Hover or focus a token for its probability and alternatives.',
  );
  if (tokens.length === 0) {
    return h(
      'div',
      { class: 'completion' },
      h('pre', { class: 'completion-text' }, fallbackText),
      h('p', { class: 'muted' }, 'The server returned no log-probabilities.'),
    );
  }
  const container = h('div', {
    class: 'token-stream',
    role: 'listbox',
    'aria-label': label,
    'aria-orientation': 'horizontal',
  });
  const show = (token: TokenLogProbView): void => {
    details.textContent = tokenDetails(token);
  };
  tokens.forEach((token, index) => {
    const level = probabilityLevel(token.logprob);
    const span = h(
      'span',
      {
        class: `tok ${level === undefined ? 'lp-none' : `lp${level}`}`,
        role: 'option',
        'aria-selected': 'false',
        'aria-label': tokenDetails(token),
        title: tokenDetails(token),
        'data-index': index,
        ...(token.logprob !== null && { 'data-logprob': token.logprob }),
      },
      token.text.replace(/\n/g, '⏎\n'),
    );
    span.addEventListener('mouseenter', () => show(token));
    span.addEventListener('focus', () => show(token));
    container.append(span);
  });
  rovingFocus(container, '.tok', 'horizontal');
  return h('div', { class: 'completion' }, container, details, legend());
}

function legend(): HTMLElement {
  return h(
    'p',
    { class: 'legend', 'aria-hidden': 'true' },
    h('span', { class: 'tok lp0' }, '≥ 80%'),
    h('span', { class: 'tok lp1' }, '≥ 50%'),
    h('span', { class: 'tok lp2' }, '≥ 20%'),
    h('span', { class: 'tok lp3' }, '< 20%'),
  );
}

/** The prompt as the model's tokens, alternately shaded, ids on hover. */
export function promptTokensView(tokens: { id: number; text: string }[]): HTMLElement {
  const container = h('div', {
    class: 'prompt-tokens',
    role: 'listbox',
    'aria-label': `${tokens.length} prompt tokens`,
    'aria-orientation': 'horizontal',
  });
  tokens.forEach((token, index) => {
    container.append(
      h(
        'span',
        {
          class: `ptok ptok${index % 2}`,
          role: 'option',
          'aria-selected': 'false',
          title: `#${index} id ${token.id}`,
          'aria-label': `token ${index}: "${visibleText(token.text)}", id ${token.id}`,
        },
        token.text,
      ),
    );
  });
  rovingFocus(container, '.ptok', 'horizontal');
  return h(
    'div',
    {},
    h('p', { class: 'metric-line' }, h('strong', { id: 'token-count' }, String(tokens.length)), ' tokens'),
    container,
  );
}
