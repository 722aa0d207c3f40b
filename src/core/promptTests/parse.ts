// Finds the test cases of a `.prompt` file: the front matter's `tests:` list, each entry with its line,
// its `expect:` assertions and today's shorthand keys (`expected`, `target`, `contains`). Never throws:
// problems are listed with their position, and a case with a bad assertion is still listed.
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { splitFrontMatter } from '../promptFile/frontMatter';
import { LineIndex } from '../promptFile/positions';
import { isRecord, readAssertion } from './assertions';
import type { Assertion, PromptTestSuite, SourcePosition, TestCase } from './types';

export const CASE_KEYS = ['name', 'vars', 'expect', 'expected', 'target', 'contains', 'file'] as const;

/** The entry's keys as plain values, with what they mean as a case. */
export interface CaseFields {
  name?: string;
  vars: Record<string, unknown>;
  expect: Assertion[];
  target?: string;
  problems: string[];
}

/** Reads a case's keys (front matter entry or dataset row). `expected` alone means `greedy: expected`. */
export function caseFields(raw: Record<string, unknown>, datasetRow = false): CaseFields {
  const fields: CaseFields = { vars: {}, expect: [], problems: [] };
  const expected = raw['expected'];
  if (raw['name'] !== undefined) {
    if (typeof raw['name'] === 'string' || typeof raw['name'] === 'number') fields.name = String(raw['name']);
    else fields.problems.push("A test's `name` must be a string.");
  }
  if (raw['vars'] !== undefined && raw['vars'] !== null) {
    if (isRecord(raw['vars'])) fields.vars = raw['vars'];
    else fields.problems.push("A test's `vars` must be a mapping.");
  }
  if (typeof raw['target'] === 'string') fields.target = raw['target'];
  else if (raw['target'] !== undefined) fields.problems.push("A test's `target` must be a string.");
  if (expected !== undefined && typeof expected !== 'string')
    fields.problems.push("A test's `expected` must be a string.");
  const of = typeof expected === 'string' ? expected : undefined;
  const contains = raw['contains'];
  if (typeof contains === 'string') fields.expect.push({ kind: 'contains', value: contains });
  else if (Array.isArray(contains) && contains.every((c) => typeof c === 'string'))
    for (const value of contains) fields.expect.push({ kind: 'contains', value });
  else if (contains !== undefined)
    fields.problems.push("A test's `contains` must be a string or a list of strings.");
  const expect = raw['expect'];
  if (Array.isArray(expect)) {
    for (const entry of expect) {
      const read = readAssertion(entry, of);
      if ('assertion' in read) fields.expect.push(read.assertion);
      else fields.problems.push(read.problem);
    }
  } else if (expect !== undefined && expect !== null)
    fields.problems.push('`expect` must be a list of assertions.');
  if (of !== undefined && !Array.isArray(expect)) fields.expect.push({ kind: 'greedy', of });
  for (const key of Object.keys(raw))
    if (!(CASE_KEYS as readonly string[]).includes(key) || (datasetRow && key === 'file'))
      fields.problems.push(`Unknown test key \`${key}\`; known keys: ${CASE_KEYS.join(', ')}.`);
  return fields;
}

/** The suite of one `.prompt` file. Dataset entries are listed, not loaded (see datasets.ts). */
export function parseTestSuite(source: string, file: string): PromptTestSuite {
  const suite: PromptTestSuite = { file, cases: [], datasets: [], problems: [] };
  const split = splitFrontMatter(source);
  if (!split.yaml) return suite;
  const lines = new LineIndex(source);
  const at = (offset: number): SourcePosition => lines.position(split.yaml!.start + offset);
  const doc = parseDocument(split.yaml.text, { prettyErrors: false });
  if (!isMap(doc.contents)) return suite;
  const pair = (doc.contents.items as Pair<unknown, unknown>[]).find(
    (p) => isScalar(p.key) && p.key.value === 'tests',
  );
  if (!pair) return suite;
  const keyNode = pair.key as Node;
  suite.testsKey = at(keyNode.range?.[0] ?? 0);
  const list = pair.value as Node | null;
  if (!isSeq(list)) {
    if (list !== null && !(isScalar(list) && list.value === null))
      suite.problems.push({ message: '`tests` must be a list of cases.', position: suite.testsKey });
    return suite;
  }
  const usedIds = new Set<string>();
  (list.items as (Node | null)[]).forEach((item, index) => {
    const position = at(item?.range?.[0] ?? keyNode.range?.[0] ?? 0);
    const raw = item ? safeJs(item, doc) : undefined;
    if (!isRecord(raw)) {
      suite.problems.push({
        message: 'Each test must be a mapping (`vars`, `expect`, ... or `file`).',
        position,
      });
      return;
    }
    const fields = caseFields(raw);
    for (const message of fields.problems) suite.problems.push({ message, position });
    if (raw['file'] !== undefined) {
      if (typeof raw['file'] !== 'string' || raw['file'] === '') {
        suite.problems.push({
          message: '`file` names a dataset (.jsonl or .csv) next to the prompt file.',
          position,
        });
        return;
      }
      suite.datasets.push({
        file: raw['file'],
        base: {
          vars: fields.vars,
          expect: fields.expect,
          ...(fields.target === undefined ? {} : { target: fields.target }),
          ...(fields.name === undefined ? {} : { name: fields.name }),
        },
        position,
      });
      return;
    }
    const id = uniqueId(fields.name ?? `#${index + 1}`, usedIds);
    const testCase: TestCase = {
      id,
      name: fields.name ?? `case ${index + 1}`,
      vars: fields.vars,
      expect: fields.expect,
      location: { file, position },
    };
    if (fields.target !== undefined) testCase.target = fields.target;
    suite.cases.push(testCase);
  });
  return suite;
}

export function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base} (${n})`;
  used.add(id);
  return id;
}

function safeJs(node: Node, doc: ReturnType<typeof parseDocument>): unknown {
  try {
    return node.toJS(doc);
  } catch {
    return undefined;
  }
}
