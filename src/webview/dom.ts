// A tiny element builder: the panel is plain DOM, no framework.

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/** Creates an element; `on*` attributes that are functions become listeners, `false`/undefined attributes are skipped. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag: string, attributes: Attributes = {}, ...children: (Child | Child[])[]): SVGElement {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== undefined) element.setAttribute(name, String(value));
  }
}

function append(element: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/**
 * Arrow keys move focus within a group of items (one tab stop, "roving tabindex").
 * `orientation` picks the keys; Home/End jump to the ends.
 */
export function rovingFocus(
  container: HTMLElement,
  selector: string,
  orientation: 'horizontal' | 'vertical' | 'both' = 'both',
): void {
  const items = (): HTMLElement[] => [...container.querySelectorAll<HTMLElement>(selector)];
  const list = items();
  list.forEach((item, index) => (item.tabIndex = index === 0 ? 0 : -1));
  const current = list.find((item) => item.getAttribute('aria-selected') === 'true');
  if (current && list[0]) {
    list[0].tabIndex = -1;
    current.tabIndex = 0;
  }
  container.addEventListener('focusin', (event) => {
    const all = items();
    if (!all.includes(event.target as HTMLElement)) return;
    for (const item of all) item.tabIndex = item === event.target ? 0 : -1;
  });
  container.addEventListener('keydown', (event) => {
    const all = items();
    const index = all.indexOf(document.activeElement as HTMLElement);
    if (index < 0) return;
    const previous =
      (orientation !== 'vertical' && event.key === 'ArrowLeft') ||
      (orientation !== 'horizontal' && event.key === 'ArrowUp');
    const next =
      (orientation !== 'vertical' && event.key === 'ArrowRight') ||
      (orientation !== 'horizontal' && event.key === 'ArrowDown');
    let target = index;
    if (previous) target = Math.max(0, index - 1);
    else if (next) target = Math.min(all.length - 1, index + 1);
    else if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = all.length - 1;
    else return;
    event.preventDefault();
    const from = all[index];
    const to = all[target];
    if (!from || !to) return;
    from.tabIndex = -1;
    to.tabIndex = 0;
    to.focus();
  });
}
