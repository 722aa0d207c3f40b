// Two runs side by side: prompt and completion diffs, change in log-probability, change of each
// segment's explanation score.
import { diffWords, type DiffPart } from '../../core/diff';
import { runLogProbability, segmentDeltas, settingChanges } from '../compare';
import { visibleChanges } from '../whitespace';
import { h } from '../dom';
import type { Run } from '../protocol';
import { formatNumber } from '../scales';
import { runTitle } from './history';

/** The text a run produced or was asked about, for the completion diff. */
export function outputText(run: Run): string {
  return (
    run.completion?.text ??
    run.evaluation?.expected ??
    run.explanation?.target ??
    run.tokens?.map((t) => t.text).join('') ??
    ''
  );
}

/** A diff with the whitespace of its changes visible (a changed line break shows as `↵`). */
function diffView(parts: DiffPart[], label: string, id: string): HTMLElement {
  return h(
    'pre',
    { class: 'diff', id, 'aria-label': `${label} (changed whitespace shown: · space, ↵ line break, ⇥ tab)` },
    visibleChanges(parts).map((part) =>
      part.kind === 'equal'
        ? part.text
        : h(
            part.kind === 'insert' ? 'ins' : 'del',
            { title: part.kind === 'insert' ? 'only in B' : 'only in A' },
            part.text,
          ),
    ),
  );
}

export function compareView(a: Run, b: Run, onClose: () => void): HTMLElement {
  const view = h(
    'section',
    { class: 'compare', 'aria-labelledby': 'compare-title' },
    h(
      'div',
      { class: 'compare-head' },
      h('h2', { id: 'compare-title' }, 'Compare runs'),
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'close-compare', onclick: onClose },
        'Back to results',
      ),
    ),
    h(
      'div',
      { class: 'sides' },
      h('div', { class: 'side' }, h('strong', {}, 'A '), runTitle(a)),
      h('div', { class: 'side' }, h('strong', {}, 'B '), runTitle(b)),
    ),
  );
  const changes = settingChanges(a, b);
  view.append(
    h('h3', {}, 'Settings'),
    changes.length
      ? h(
          'ul',
          { class: 'changes' },
          changes.map((c) => h('li', {}, c)),
        )
      : h('p', { class: 'muted' }, 'Same parameters, variables, profile and model.'),
  );
  view.append(
    h('h3', {}, 'Prompt'),
    diffView(diffWords(a.promptText, b.promptText), 'Prompt diff from A to B', 'prompt-diff'),
  );
  view.append(
    h('h3', {}, a.completion || b.completion ? 'Completion' : 'Output'),
    diffView(diffWords(outputText(a), outputText(b)), 'Completion diff from A to B', 'completion-diff'),
  );

  const la = runLogProbability(a);
  const lb = runLogProbability(b);
  if (la === undefined && lb === undefined) {
    view.append(h('p', { class: 'muted' }, 'Log-probabilities come with Complete and Evaluate runs.'));
  } else {
    const change = la !== undefined && lb !== undefined ? lb - la : undefined;
    view.append(
      h(
        'table',
        { class: 'metrics', id: 'logprob-change' },
        h('caption', {}, 'Log-probability of the output'),
        h(
          'tbody',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, 'A'),
            h('td', { class: 'num' }, la === undefined ? '–' : formatNumber(la)),
          ),
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, 'B'),
            h('td', { class: 'num' }, lb === undefined ? '–' : formatNumber(lb)),
          ),
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, 'Change'),
            h(
              'td',
              {
                class: `num ${change === undefined ? '' : change >= 0 ? 'up' : 'down'}`,
                'data-delta': change,
              },
              change === undefined ? '–' : signed(change),
            ),
          ),
        ),
      ),
    );
  }

  const deltas = segmentDeltas(a, b);
  if (deltas.length > 0) {
    view.append(
      h(
        'table',
        { class: 'metrics segment-deltas', id: 'segment-deltas' },
        h('caption', {}, 'Explanation score per segment'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Segment'),
            h('th', { scope: 'col' }, 'A'),
            h('th', { scope: 'col' }, 'B'),
            h('th', { scope: 'col' }, 'Change'),
          ),
        ),
        h(
          'tbody',
          {},
          deltas
            .slice(0, 25)
            .map((d) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, d.text),
                h('td', { class: 'num' }, d.before === undefined ? '–' : formatNumber(d.before)),
                h('td', { class: 'num' }, d.after === undefined ? '–' : formatNumber(d.after)),
                h(
                  'td',
                  { class: `num ${d.delta === undefined ? '' : d.delta >= 0 ? 'up' : 'down'}` },
                  d.delta === undefined ? 'only in one' : signed(d.delta),
                ),
              ),
            ),
        ),
      ),
    );
  } else if (a.explanation || b.explanation) {
    view.append(h('p', { class: 'muted' }, 'Segment scores need an Explain run on both sides.'));
  }
  return view;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${formatNumber(value)}`;
}
