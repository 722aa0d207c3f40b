// The explanation: a heatmap over the prompt (image tiles overlaid on images), a sorted bar chart of
// segments, totals per variable and per promptrange, and a stepper over the target's tokens.
import { DEFAULT_BAR_OPTIONS, layoutBars } from '../charts/bars';
import { h, rovingFocus, svg } from '../dom';
import type { Run, ScoredSpan, TargetExplanation, Total } from '../protocol';
import { formatNumber, heatLevel, maxAbs } from '../scales';
import { visibleText } from './tokens';

type RunExplanation = NonNullable<Run['explanation']>;

/** All target tokens together: scores summed per span and per image tile. */
export function combinedTarget(explanation: RunExplanation): TargetExplanation {
  const spans = new Map<string, ScoredSpan>();
  const tiles = new Map<
    string,
    { image: number; rect: { left: number; top: number; width: number; height: number }; score: number }
  >();
  const sum = (totals: (Total[] | undefined)[]): Total[] | undefined => {
    if (totals.some((t) => t === undefined)) return undefined;
    const byName = new Map<string, number>();
    for (const list of totals)
      for (const t of list ?? []) byName.set(t.name, (byName.get(t.name) ?? 0) + t.score);
    return [...byName].map(([name, score]) => ({ name, score }));
  };
  for (const target of explanation.targets) {
    for (const span of target.spans) {
      const key = `${span.start}:${span.length}`;
      const existing = spans.get(key);
      spans.set(key, { ...span, score: (existing?.score ?? 0) + span.score });
    }
    for (const image of target.images) {
      for (const tile of image.tiles) {
        const key = `${image.image}:${tile.rect.left}:${tile.rect.top}:${tile.rect.width}:${tile.rect.height}`;
        tiles.set(key, {
          image: image.image,
          rect: tile.rect,
          score: (tiles.get(key)?.score ?? 0) + tile.score,
        });
      }
    }
  }
  const images = new Map<number, TargetExplanation['images'][number]>();
  for (const tile of tiles.values()) {
    const entry = images.get(tile.image) ?? { image: tile.image, tiles: [] };
    entry.tiles.push({ rect: tile.rect, score: tile.score });
    images.set(tile.image, entry);
  }
  const perVariable = sum(explanation.targets.map((t) => t.perVariable));
  const perRange = sum(explanation.targets.map((t) => t.perRange));
  return {
    target: explanation.target,
    spans: [...spans.values()].sort((a, b) => a.start - b.start),
    images: [...images.values()],
    ...(perVariable && { perVariable }),
    ...(perRange && { perRange }),
  };
}

export function explanationView(
  run: Run,
  explanation: RunExplanation,
  targetIndex: number,
  onTarget: (index: number) => void,
): HTMLElement {
  const index = targetIndex >= 0 && targetIndex < explanation.targets.length ? targetIndex : -1;
  const shown = index >= 0 ? explanation.targets[index] : combinedTarget(explanation);
  const view = h('div', { class: 'explanation' });
  view.append(targetStepper(explanation, index, onTarget));
  if (!shown) return view;
  const scale = maxAbs([
    ...shown.spans.map((s) => s.score),
    ...shown.images.flatMap((i) => i.tiles.map((t) => t.score)),
  ]);
  view.append(
    h('h3', {}, 'Heatmap over the prompt'),
    heatmap(run, shown, scale),
    h(
      'p',
      { class: 'legend', 'aria-hidden': 'true' },
      'lowers',
      ['n4', 'n3', 'n2', 'n1', 'p1', 'p2', 'p3', 'p4'].map((level) =>
        h('span', { class: `swatch heat-${level}` }),
      ),
      'raises the target’s probability',
    ),
    h('h3', {}, 'Segments by importance'),
    barChart(run, shown.spans),
  );
  if (shown.perVariable || shown.perRange) {
    view.append(
      h(
        'div',
        { class: 'totals' },
        shown.perVariable ? totalsTable('Per variable', 'totals-variables', shown.perVariable) : null,
        shown.perRange ? totalsTable('Per promptrange', 'totals-ranges', shown.perRange) : null,
      ),
    );
  }
  if (explanation.note) view.append(h('p', { class: 'muted' }, explanation.note));
  if (explanation.scoring !== undefined)
    view.append(h('p', { class: 'muted' }, `Occlusion: ${explanation.scoring}.`));
  else if (explanation.calls !== undefined)
    view.append(h('p', { class: 'muted' }, `${explanation.calls} scoring calls (occlusion).`));
  return view;
}

function targetStepper(
  explanation: RunExplanation,
  index: number,
  onTarget: (index: number) => void,
): HTMLElement {
  const options: { label: string; value: number }[] = [
    { label: 'All tokens', value: -1 },
    ...explanation.targets.map((t, i) => ({ label: visibleText(t.target).replace(/ /g, '␣'), value: i })),
  ];
  const list = h(
    'div',
    {
      class: 'targets',
      role: 'listbox',
      'aria-label': 'Target token to explain (arrow keys step)',
      'aria-orientation': 'horizontal',
    },
    options.map((option) =>
      h(
        'span',
        {
          class: 'target-token',
          id: `target-${option.value + 1}`,
          role: 'option',
          'aria-selected': String(option.value === index),
          'data-target-index': option.value,
          onclick: () => onTarget(option.value),
        },
        option.label,
      ),
    ),
  );
  list.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      const value = Number((document.activeElement as HTMLElement | null)?.dataset['targetIndex']);
      if (Number.isInteger(value)) onTarget(value);
      event.preventDefault();
    }
  });
  rovingFocus(list, '.target-token', 'horizontal');
  // Arrow keys move focus; moving focus also selects, like a tab strip.
  list.addEventListener('focusin', (event) => {
    const value = Number((event.target as HTMLElement).dataset['targetIndex']);
    if (Number.isInteger(value) && value !== index) onTarget(value);
  });
  return h(
    'div',
    { class: 'target-stepper' },
    h('span', { class: 'muted' }, `Target “${explanation.target}”, token:`),
    list,
  );
}

/** The prompt text with scored spans shaded; images (with their tiles) where they sit in the prompt. */
function heatmap(run: Run, shown: TargetExplanation, scale: number): HTMLElement {
  const container = h('div', { class: 'heatmap', role: 'group', 'aria-label': 'Prompt heatmap' });
  const text = run.promptText;
  const images = [...run.images.map((image, number) => ({ ...image, number }))].sort((a, b) => a.at - b.at);
  const spans = [...shown.spans].sort((a, b) => a.start - b.start);
  let position = 0;
  let nextImage = 0;
  const flushImages = (upTo: number): void => {
    while (nextImage < images.length && (images[nextImage]?.at ?? Infinity) <= upTo) {
      const image = images[nextImage++];
      if (image)
        container.append(
          imageWithTiles(
            image.src,
            shown.images.find((i) => i.image === image.number)?.tiles ?? [],
            scale,
            image.number,
          ),
        );
    }
  };
  for (const span of spans) {
    if (span.start < position) continue;
    flushImages(span.start);
    if (span.start > position) container.append(text.slice(position, span.start));
    const level = heatLevel(span.score, scale);
    container.append(
      h(
        'span',
        {
          class: `heat ${level > 0 ? `heat-p${level}` : level < 0 ? `heat-n${-level}` : 'heat-0'}`,
          title: `score ${formatNumber(span.score)}`,
          'data-score': span.score,
        },
        text.slice(span.start, span.start + span.length),
      ),
    );
    position = span.start + span.length;
  }
  flushImages(text.length);
  if (position < text.length) container.append(text.slice(position));
  return container;
}

function imageWithTiles(
  src: string | undefined,
  tiles: TargetExplanation['images'][number]['tiles'],
  scale: number,
  number: number,
): HTMLElement {
  const figure = h('figure', {
    class: 'image-heat',
    'aria-label': `Image ${number + 1} with ${tiles.length} scored tiles`,
  });
  if (src) figure.append(h('img', { src, alt: `Prompt image ${number + 1}` }));
  else figure.append(h('div', { class: 'image-missing' }, 'Image not kept in the history'));
  for (const tile of tiles) {
    const level = heatLevel(tile.score, scale);
    const overlay = h('div', {
      class: `tile heat ${level > 0 ? `heat-p${level}` : level < 0 ? `heat-n${-level}` : 'heat-0'}`,
      title: `score ${formatNumber(tile.score)}`,
      'data-score': tile.score,
    });
    // CSSOM, not a style attribute: the CSP allows no inline styles.
    overlay.style.left = `${tile.rect.left * 100}%`;
    overlay.style.top = `${tile.rect.top * 100}%`;
    overlay.style.width = `${tile.rect.width * 100}%`;
    overlay.style.height = `${tile.rect.height * 100}%`;
    figure.append(overlay);
  }
  return figure;
}

function barChart(run: Run, spans: ScoredSpan[]): Element {
  const layout = layoutBars(
    spans.map((span) => ({
      label: run.promptText.slice(span.start, span.start + span.length),
      score: span.score,
    })),
  );
  if (layout.bars.length === 0) return h('p', { class: 'muted' }, 'No scored segments.');
  const { labelWidth } = DEFAULT_BAR_OPTIONS;
  const chart = svg('svg', {
    class: 'bars',
    viewBox: `0 0 ${layout.width} ${layout.height + 2}`,
    width: layout.width,
    height: layout.height + 2,
    role: 'img',
    'aria-label': `Segments by importance: ${layout.bars
      .slice(0, 5)
      .map((b) => `${b.label.trim()} ${formatNumber(b.score)}`)
      .join(', ')}`,
  });
  for (const bar of layout.bars) {
    const label = bar.label.replace(/\s+/g, ' ').trim();
    chart.append(
      svg(
        'text',
        { x: labelWidth - 6, y: bar.y + bar.height - 4, class: 'bar-label', 'text-anchor': 'end' },
        label.length > 18 ? `${label.slice(0, 17)}…` : label,
      ),
      svg(
        'rect',
        {
          x: bar.x.toFixed(1),
          y: bar.y,
          width: Math.max(1, bar.width).toFixed(1),
          height: bar.height,
          class: `bar ${bar.score >= 0 ? 'bar-pos' : 'bar-neg'}`,
          'data-score': bar.score,
        },
        svg('title', {}, `${label}: ${formatNumber(bar.score)}`),
      ),
    );
  }
  chart.append(
    svg('line', { x1: layout.zeroX, x2: layout.zeroX, y1: 0, y2: layout.height + 2, class: 'zero' }),
  );
  return chart;
}

function totalsTable(caption: string, id: string, totals: Total[]): HTMLElement {
  const sorted = [...totals].sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
  return h(
    'table',
    { class: 'metrics', id },
    h('caption', {}, caption),
    h(
      'tbody',
      {},
      sorted.length === 0
        ? h('tr', {}, h('td', { class: 'muted' }, 'none'))
        : sorted.map((t) =>
            h('tr', {}, h('th', { scope: 'row' }, t.name), h('td', { class: 'num' }, formatNumber(t.score))),
          ),
    ),
  );
}
