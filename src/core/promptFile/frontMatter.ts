// Splits a `.prompt` file into YAML front matter and Liquid body, and turns the YAML into checked settings.
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { BackendKind } from '../backend';
import { diagnostic, type LineIndex } from './positions';
import { EQUIVALENT_PHRASE, equivalentParam, paramNames, paramSchema } from './params';
import { readAssertion } from '../promptTests/assertions';
import type { DiagnosticCode, PromptDiagnostic, PromptFileSettings, PromptTestCase } from './types';

export interface FrontMatterSplit {
  /** The YAML text and its offset in the file; absent without front matter. */
  yaml?: { text: string; start: number };
  bodyStart: number;
  /** Set when the front matter is opened but never closed. */
  unclosed?: { start: number; end: number };
}

const OPEN = /^\uFEFF?---[ \t]*(?:\r?\n|$)/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/gm;

export function splitFrontMatter(source: string): FrontMatterSplit {
  const open = OPEN.exec(source);
  if (!open) return { bodyStart: source.startsWith('\uFEFF') ? 1 : 0 };
  const yamlStart = open[0].length;
  CLOSE.lastIndex = yamlStart;
  // A closing line directly after the opening one (empty front matter) starts at yamlStart.
  const close = yamlStart <= source.length ? CLOSE.exec(source) : null;
  if (!close) return { bodyStart: source.length, unclosed: { start: 0, end: open[0].trimEnd().length } };
  return {
    yaml: { text: source.slice(yamlStart, close.index), start: yamlStart },
    bodyStart: close.index + close[0].length,
  };
}

const KNOWN_KEYS = ['backend', 'model', 'params', 'vars', 'expected', 'target', 'tests'] as const;
const TEST_KEYS = ['name', 'vars', 'expect', 'expected', 'target', 'contains', 'file'] as const;

type Report = (
  node: { range?: [number, number, number] | null } | null | undefined,
  fallback: [number, number],
  severity: PromptDiagnostic['severity'],
  code: DiagnosticCode,
  message: string,
) => void;

/** Parses and checks the front matter. Never throws: problems become diagnostics. */
export function parseSettings(
  yaml: { text: string; start: number },
  lines: LineIndex,
  kind: BackendKind | undefined,
  diagnostics: PromptDiagnostic[],
): PromptFileSettings {
  const settings: PromptFileSettings = { params: {}, vars: {}, tests: [] };
  const doc = parseDocument(yaml.text, { prettyErrors: false, uniqueKeys: true });
  const yamlProblems = [
    ...doc.errors.map((problem) => ({ problem, severity: 'error' as const })),
    ...doc.warnings.map((problem) => ({ problem, severity: 'warning' as const })),
  ];
  for (const { problem, severity } of yamlProblems)
    diagnostics.push(
      diagnostic(
        lines,
        yaml.start + problem.pos[0],
        yaml.start + problem.pos[1],
        severity,
        'yaml',
        `YAML: ${firstLine(problem.message)}`,
      ),
    );
  const report: Report = (node, fallback, severity, code, message) => {
    const range = node?.range;
    const [from, to] = range ? [range[0], range[1]] : fallback;
    diagnostics.push(
      diagnostic(lines, yaml.start + from, yaml.start + Math.max(from, to), severity, code, message),
    );
  };
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return settings;
  if (!isMap(contents)) {
    report(
      contents,
      [0, yaml.text.length],
      'error',
      'front-matter',
      'The front matter must be a mapping of keys such as `model`, `params` and `vars`.',
    );
    return settings;
  }
  for (const pair of contents.items as Pair<unknown, unknown>[]) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
    const valueNode = pair.value as Node | null;
    const keyRange: [number, number] = keyNode?.range ? [keyNode.range[0], keyNode.range[1]] : [0, 0];
    const value = toJs(valueNode, doc);
    switch (key) {
      case 'backend':
      case 'model':
      case 'expected':
      case 'target':
        if (typeof value === 'string') settings[key] = value;
        else report(valueNode, keyRange, 'error', 'invalid-value', `\`${key}\` must be a string.`);
        break;
      case 'params':
        settings.params = checkParams(valueNode, doc, keyRange, kind, report);
        break;
      case 'vars':
        if (isRecord(value)) settings.vars = value;
        else if (value !== null)
          report(
            valueNode,
            keyRange,
            'error',
            'invalid-value',
            '`vars` must be a mapping of variable names to default values.',
          );
        break;
      case 'tests':
        settings.tests = checkTests(valueNode, doc, keyRange, report);
        break;
      default:
        report(
          keyNode,
          keyRange,
          'warning',
          'unknown-key',
          `Unknown front matter key \`${key ?? '?'}\`; known keys: ${KNOWN_KEYS.join(', ')}.`,
        );
    }
  }
  return settings;
}

function checkParams(
  node: Node | null,
  doc: Document,
  keyRange: [number, number],
  kind: BackendKind | undefined,
  report: Report,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (node === null || (isScalar(node) && node.value === null)) return params;
  if (!isMap(node)) {
    report(node, keyRange, 'error', 'invalid-value', '`params` must be a mapping of completion parameters.');
    return params;
  }
  for (const pair of node.items as Pair<unknown, unknown>[]) {
    const keyNode = pair.key as Node | null;
    const name = isScalar(keyNode) ? String(keyNode.value) : '?';
    const valueNode = pair.value as Node | null;
    const value = toJs(valueNode, doc);
    const range: [number, number] = keyNode?.range ? [keyNode.range[0], keyNode.range[1]] : keyRange;
    const schema = paramSchema(name, kind);
    if (!schema) {
      const where = kind ? `the ${kind} backend` : 'any backend';
      const equivalent = kind ? equivalentParam(name, kind) : undefined;
      report(
        keyNode,
        range,
        'warning',
        'unknown-param',
        equivalent
          ? `Unknown parameter \`${name}\` for ${where}: ${EQUIVALENT_PHRASE} \`${equivalent}\`.`
          : `Unknown parameter \`${name}\` for ${where}; it is sent as is. Known: ${paramNames(kind).slice(0, 12).join(', ')}, ...`,
      );
      params[name] = value;
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) params[name] = value;
    else
      report(
        valueNode,
        range,
        'error',
        'invalid-param',
        `Invalid value for \`${name}\`: ${parsed.error.issues.map((issue) => issue.message).join('; ')}.`,
      );
  }
  return params;
}

function checkTests(
  node: Node | null,
  doc: Document,
  keyRange: [number, number],
  report: Report,
): PromptTestCase[] {
  const items = listItems(
    node,
    keyRange,
    report,
    '`tests` must be a list of cases `{name, vars, expect, expected, target, contains}` or datasets `{file}`.',
  );
  const tests: PromptTestCase[] = [];
  for (const item of items) {
    if (!isMap(item)) {
      report(
        item,
        keyRange,
        'error',
        'invalid-value',
        'Each test must be a mapping with `vars` and optionally `name`, `expected`, `target`, `contains`.',
      );
      continue;
    }
    const test: PromptTestCase = { vars: {} };
    // `expected` is the default `of` of the case's assertions, wherever it stands among the keys.
    const expectedValue = item.get('expected');
    const defaultOf = typeof expectedValue === 'string' ? expectedValue : undefined;
    for (const pair of item.items as Pair<unknown, unknown>[]) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : '?';
      const valueNode = pair.value as Node | null;
      const value = toJs(valueNode, doc);
      const range: [number, number] = keyNode?.range ? [keyNode.range[0], keyNode.range[1]] : keyRange;
      if (key === 'name' || key === 'expected' || key === 'target') {
        if (typeof value === 'string' || typeof value === 'number') test[key] = String(value);
        else report(valueNode, range, 'error', 'invalid-value', `A test's \`${key}\` must be a string.`);
      } else if (key === 'vars') {
        if (isRecord(value)) test.vars = value;
        else if (value !== null)
          report(valueNode, range, 'error', 'invalid-value', "A test's `vars` must be a mapping.");
      } else if (key === 'contains') {
        if (typeof value === 'string') test.contains = [value];
        else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) test.contains = value;
        else
          report(
            valueNode,
            range,
            'error',
            'invalid-value',
            "A test's `contains` must be a string or a list of strings.",
          );
      } else if (key === 'expect') {
        checkExpect(valueNode, doc, range, report, defaultOf);
      } else if (key === 'file') {
        if (typeof value === 'string' && /\.(jsonl|csv)$/i.test(value)) test.file = value;
        else
          report(
            valueNode,
            range,
            'error',
            'invalid-value',
            "A test's `file` names a dataset: a .jsonl or .csv file next to the prompt file.",
          );
      } else {
        report(
          keyNode,
          range,
          'warning',
          'unknown-key',
          `Unknown test key \`${key}\`; known keys: ${TEST_KEYS.join(', ')}.`,
        );
      }
    }
    tests.push(test);
  }
  return tests;
}

/** Each `expect:` entry must be one known assertion; problems are errors at the entry. */
function checkExpect(
  node: Node | null,
  doc: Document,
  keyRange: [number, number],
  report: Report,
  defaultOf: string | undefined,
): void {
  const entries = listItems(
    node,
    keyRange,
    report,
    '`expect` must be a list of assertions such as `- contains: Paris`.',
  );
  for (const entry of entries) {
    const read = readAssertion(toJs(entry, doc), defaultOf);
    if ('problem' in read) report(entry, keyRange, 'error', 'invalid-value', read.problem);
  }
}

/** The items of a YAML list; none when it is empty or null, none and an error (`notAList`) when it is no list. */
function listItems(
  node: Node | null,
  keyRange: [number, number],
  report: Report,
  notAList: string,
): (Node | null)[] {
  if (node === null || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    report(node, keyRange, 'error', 'invalid-value', notAList);
    return [];
  }
  return node.items as (Node | null)[];
}

function toJs(node: Node | null, doc: Document): unknown {
  if (node === null) return null;
  try {
    return node.toJS(doc);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
