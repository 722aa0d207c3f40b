// The smallest text edit that sets one front matter value of a `.prompt` file, found with the `yaml`
// Document API and its source ranges, so comments, order and formatting elsewhere stay as they are.
import { isMap, isScalar, parseDocument, Scalar, type Node, type YAMLMap } from 'yaml';
import { PromptLensError } from '../errors';
import { splitFrontMatter } from './index';

/** A value a form sets: what YAML writes as a scalar. */
type Value = string | number | boolean | null;

export interface TextEdit {
  /** UTF-16 offsets into the whole file. */
  start: number;
  end: number;
  text: string;
}

/** A value the form cannot set this way: said in the panel, nothing is changed. */
function frontMatterError(message: string): PromptLensError {
  return new PromptLensError('bad-request', message);
}

export type FrontMatterPath = readonly [string] | readonly [string, string];

/**
 * The edit setting `path` to `value`, checked by reading the edited front matter back: the first of
 * the candidate spellings (a block scalar, then a quoted string) that YAML reads back as exactly `value`.
 */
export function frontMatterEdit(source: string, path: FrontMatterPath, value: Value): TextEdit {
  for (const edit of findEdits(source, path, value)) {
    const yaml = splitFrontMatter(applyTextEdit(source, edit)).yaml;
    const doc = yaml && parseDocument(yaml.text);
    const readBack: unknown = doc && doc.errors.length === 0 ? doc.getIn(path) : undefined;
    if (readBack === value || (value === null && readBack === undefined)) return edit;
  }
  throw frontMatterError(
    `Could not set \`${path.join('.')}\` so that it reads back exactly, without rewriting other lines; edit it in the editor.`,
  );
}

/** The edits that may set the value, most readable first. */
function findEdits(source: string, path: FrontMatterPath, value: Value): TextEdit[] {
  const split = splitFrontMatter(source);
  if (split.unclosed)
    throw frontMatterError('The front matter is not closed with `---`; fix it in the editor first.');
  if (!split.yaml) {
    // No front matter yet: add one holding just this value.
    const bom = source.startsWith('\uFEFF') ? 1 : 0;
    return [{ start: bom, end: bom, text: `---\n${entryLines(path, value, '')}---\n` }];
  }
  const { text: yaml, start: base } = split.yaml;
  const doc = parseDocument(yaml, { keepSourceTokens: true });
  if (doc.errors.length > 0)
    throw frontMatterError('The front matter has YAML errors; fix them in the editor first.');
  const contents = doc.contents;
  const root = isMap(contents) ? contents : undefined;
  if (!root && contents !== null && !(isScalar(contents) && contents.value === null)) {
    throw frontMatterError('The front matter is not a mapping; fix it in the editor first.');
  }
  const node = doc.getIn(path, true) as Node | undefined;
  if (isScalar(node) && node.range) {
    const [start, end] = node.range;
    // A block scalar's range takes its last line break: the replacement gives it back (and a block
    // scalar replacing a one-line value uses the line break already after it).
    const lineEnd = /\r?\n$/.exec(yaml.slice(start, end))?.[0] ?? '';
    const breakAfter = /^\r?\n/.test(yaml.slice(end));
    const withLineEnd = (text: string): string => {
      if (lineEnd) return text.endsWith('\n') ? text : text + lineEnd;
      return breakAfter ? text.replace(/\r?\n$/, '') : text;
    };
    // A block scalar only where nothing (a comment) follows the value on its line.
    const restOfLine = /^[^\r\n]*/.exec(yaml.slice(end))?.[0] ?? '';
    const block =
      typeof value === 'string' &&
      node.type !== Scalar.QUOTE_DOUBLE &&
      node.type !== Scalar.QUOTE_SINGLE &&
      (lineEnd !== '' || restOfLine.trim() === '')
        ? blockScalarText(value, keyIndent(yaml, path, doc), eolOf(source))
        : undefined;
    return [...(block ? [block] : []), scalarText(value, node.type)].map((text) => ({
      start: base + start,
      end: base + end,
      text: withLineEnd(text),
    }));
  }
  if (node !== undefined && node !== null)
    throw frontMatterError(`\`${path.join('.')}\` is not a single value; edit it in the editor.`);

  // The key is missing: add a line to its parent mapping (or a new parent) at the end of the front matter's block.
  return [addEdit(yaml, base, root, path, value)];
}

function addEdit(
  yaml: string,
  base: number,
  root: YAMLMap | undefined,
  path: FrontMatterPath,
  value: Value,
): TextEdit {
  const [first, second] = path;
  if (second === undefined) return append(yaml, base, entryLines([first], value, ''));
  const parent = root?.get(first, true);
  if (parent === undefined || parent === null || (isScalar(parent) && parent.value === null)) {
    if (parent && isScalar(parent) && parent.range) {
      // `params:` with nothing after it.
      const indent = '  ';
      return {
        start: base + parent.range[0],
        end: base + parent.range[1],
        text: `\n${indent}${keyText(second)}: ${scalarText(value)}`,
      };
    }
    return append(yaml, base, entryLines(path, value, ''));
  }
  if (!isMap(parent)) throw frontMatterError(`\`${first}\` is not a mapping; edit it in the editor.`);
  return addToMap(parent, yaml, base, second, value);
}

function addToMap(map: YAMLMap, yaml: string, base: number, key: string, value: Value): TextEdit {
  const items = map.items;
  const last = items[items.length - 1];
  const firstKey = items[0]?.key as Node | undefined;
  if (map.flow || !last || !firstKey?.range) {
    throw frontMatterError(
      `Add \`${key}\` in the editor: the mapping is written in a form the panel does not edit.`,
    );
  }
  const lineStart = yaml.lastIndexOf('\n', firstKey.range[0] - 1) + 1;
  const indent = yaml.slice(lineStart, firstKey.range[0]);
  const lastNode = (last.value ?? last.key) as Node | null;
  const end = lastNode?.range ? lastNode.range[1] : firstKey.range[1];
  return { start: base + end, end: base + end, text: `\n${indent}${keyText(key)}: ${scalarText(value)}` };
}

/** Inserts lines at the end of the YAML text (before the closing `---`). */
function append(yaml: string, base: number, lines: string): TextEdit {
  const needsNewline = yaml.length > 0 && !yaml.endsWith('\n');
  return { start: base + yaml.length, end: base + yaml.length, text: `${needsNewline ? '\n' : ''}${lines}` };
}

function entryLines(path: FrontMatterPath, value: Value, indent: string): string {
  const [first, second] = path;
  if (second === undefined) return `${indent}${keyText(first)}: ${scalarText(value)}\n`;
  return `${indent}${keyText(first)}:\n${indent}  ${keyText(second)}: ${scalarText(value)}\n`;
}

function keyText(key: string): string {
  return /^[A-Za-z_][\w.-]*$/.test(key) ? key : JSON.stringify(key);
}

/** A value as YAML text, keeping the quoting style of the value it replaces where that is safe. */
export function scalarText(value: Value, style?: Scalar.Type): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw frontMatterError('Numbers must be finite.');
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (style === Scalar.QUOTE_SINGLE && !/[\n\r]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  if (style !== Scalar.QUOTE_DOUBLE && isPlainSafe(value)) return value;
  return JSON.stringify(value);
}

/** Whether a string survives unquoted: YAML reads it back as the same string. */
function isPlainSafe(text: string): boolean {
  if (text === '' || text !== text.trim() || /[\n\r#:]|^[-?,[\]{}&*!|>'"%@`]/.test(text)) return false;
  const parsed = parseDocument(`v: ${text}`).toJS() as { v?: unknown } | null;
  return parsed?.v === text;
}

/** The line break the file uses (its first one), for lines the edit adds. */
function eolOf(source: string): string {
  return /\r?\n/.exec(source)?.[0] ?? '\n';
}

/** The column of the key holding the value at `path` (block scalar lines are indented past it). */
function keyIndent(yaml: string, path: FrontMatterPath, doc: ReturnType<typeof parseDocument>): number {
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
  if (!isMap(parent)) return 0;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
  const keyStart = (pair?.key as Node | undefined)?.range?.[0];
  if (keyStart === undefined) return 0;
  return keyStart - (yaml.lastIndexOf('\n', keyStart - 1) + 1);
}

/**
 * A multi-line string as a literal block scalar (`|`), with the chomping indicator its trailing line
 * breaks need (`-` none, `+` more than one) and an indentation indicator when it starts with a space.
 * Undefined for what a block scalar cannot hold as is (carriage returns, no line break at all): the
 * caller then writes a quoted string. The result is checked by reading it back.
 */
export function blockScalarText(value: string, indent: number, eol = '\n'): string | undefined {
  if (!value.includes('\n') || value.includes('\r')) return undefined;
  const body = value.replace(/\n+$/, '');
  if (body === '') return undefined;
  const trailing = value.length - body.length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const step = 2;
  const indentIndicator = /^[ \t]/.test(body) || /^\n*[ \t]/.test(body) ? String(step) : '';
  const pad = ' '.repeat(indent + step);
  const lines = body.split('\n').map((line) => (line === '' ? '' : pad + line));
  return `|${indentIndicator}${chomp}${eol}${lines.join(eol)}${eol.repeat(Math.max(trailing, 1))}`;
}

/** Applies an edit to a string (for checking an edit before it is sent to the editor). */
export function applyTextEdit(source: string, edit: TextEdit): string {
  return source.slice(0, edit.start) + edit.text + source.slice(edit.end);
}
