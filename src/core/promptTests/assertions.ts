// Reads the `expect:` list of a test case (plain YAML values) into typed assertions; every problem is
// a sentence saying what is wrong and what is expected.
import { messageOf } from '../errors';
import { checkSchema, type JsonSchema } from './jsonSchema';
import type { Assertion } from './types';

export const ASSERTION_KINDS = [
  'contains',
  'notContains',
  'equals',
  'startsWith',
  'regex',
  'json',
  'logprob',
  'perplexity',
  'greedy',
  'beats',
  'drivenBy',
  'similar',
] as const;

const MAX_REGEX_LENGTH = 1000;

export type ReadResult = { assertion: Assertion } | { problem: string };

/** One entry of `expect:`: a mapping with exactly one assertion key. */
export function readAssertion(entry: unknown, fallbackOf?: string): ReadResult {
  if (!isRecord(entry) || Object.keys(entry).length !== 1)
    return problem(`Each \`expect\` entry is a mapping with one key, one of: ${ASSERTION_KINDS.join(', ')}.`);
  const [key, value] = Object.entries(entry)[0] as [string, unknown];
  switch (key) {
    case 'contains':
    case 'notContains':
    case 'equals':
    case 'startsWith':
      return typeof value === 'string' || typeof value === 'number'
        ? { assertion: { kind: key, value: String(value) } }
        : problem(`\`${key}\` takes a string.`);
    case 'regex':
      return readRegex(value);
    case 'json':
      return readJson(value);
    case 'logprob':
    case 'perplexity':
      return readBounded(key, value, fallbackOf);
    case 'greedy': {
      const of = typeof value === 'string' ? value : isRecord(value) ? value['of'] : undefined;
      const text = of ?? fallbackOf;
      return typeof text === 'string' && text !== ''
        ? { assertion: { kind: 'greedy', of: text } }
        : problem('`greedy` takes the text greedy decoding must produce (or `{of: TEXT}`).');
    }
    case 'beats':
      return readBeats(value, fallbackOf);
    case 'drivenBy':
      return readDrivenBy(value);
    case 'similar':
      return readSimilar(value);
    default:
      return problem(`Unknown assertion \`${key}\`; known: ${ASSERTION_KINDS.join(', ')}.`);
  }
}

function readRegex(value: unknown): ReadResult {
  const pattern = typeof value === 'string' ? value : isRecord(value) ? value['pattern'] : undefined;
  const flags = isRecord(value) && typeof value['flags'] === 'string' ? value['flags'] : '';
  if (typeof pattern !== 'string' || pattern === '')
    return problem('`regex` takes a pattern (or `{pattern, flags}`).');
  if (pattern.length > MAX_REGEX_LENGTH)
    return problem(`The \`regex\` pattern is longer than ${MAX_REGEX_LENGTH} characters.`);
  if (!/^[imsu]*$/.test(flags)) return problem('`regex` flags may only be i, m, s and u.');
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    return problem(`Invalid \`regex\`: ${messageOf(error)}.`);
  }
  return { assertion: { kind: 'regex', pattern, flags } };
}

function readJson(value: unknown): ReadResult {
  if (value === true || value === null || (isRecord(value) && Object.keys(value).length === 0))
    return { assertion: { kind: 'json' } };
  const schema = isRecord(value) && 'schema' in value ? value['schema'] : undefined;
  if (!isRecord(schema))
    return problem('`json` takes `true` (it parses) or `{schema: {...}}` (a JSON Schema).');
  const bad = checkSchema(schema);
  if (bad) return problem(`\`json\` schema: ${bad}.`);
  return { assertion: { kind: 'json', schema: schema as JsonSchema } };
}

function readBounded(kind: 'logprob' | 'perplexity', value: unknown, fallbackOf?: string): ReadResult {
  if (!isRecord(value)) return problem(`\`${kind}\` takes \`{of: TEXT, min: N}\` and/or \`max: N\`.`);
  const of = value['of'] ?? fallbackOf;
  if (typeof of !== 'string' || of === '') return problem(`\`${kind}\` needs \`of\`: the text to score.`);
  const min = value['min'];
  const max = value['max'];
  if (min === undefined && max === undefined) return problem(`\`${kind}\` needs \`min\` or \`max\`.`);
  if ((min !== undefined && !isFiniteNumber(min)) || (max !== undefined && !isFiniteNumber(max)))
    return problem(`\`${kind}\`'s \`min\` and \`max\` are numbers.`);
  return {
    assertion: { kind, of, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) },
  };
}

function readBeats(value: unknown, fallbackOf?: string): ReadResult {
  if (!isRecord(value)) return problem('`beats` takes `{of: TEXT, others: [TEXT, ...], margin?: N}`.');
  const of = value['of'] ?? fallbackOf;
  const others = value['others'];
  const margin = value['margin'] ?? 0;
  if (typeof of !== 'string' || of === '') return problem('`beats` needs `of`: the text that must win.');
  if (
    !Array.isArray(others) ||
    others.length === 0 ||
    !others.every((o) => typeof o === 'string' && o !== '')
  )
    return problem('`beats` needs `others`: a list of texts it must beat.');
  if (!isFiniteNumber(margin))
    return problem("`beats`'s `margin` is a number in natural-log units (negative: may trail by that much).");
  return { assertion: { kind: 'beats', of, others: others as string[], margin } };
}

function readDrivenBy(value: unknown): ReadResult {
  if (!isRecord(value)) return problem('`drivenBy` takes `{range: NAME, minShare: 0..1}`.');
  const range = value['range'];
  const minShare = value['minShare'];
  const target = value['target'];
  if (typeof range !== 'string' || !/^[A-Za-z_][\w.-]*$/.test(range))
    return problem('`drivenBy` needs `range`: a `{% promptrange %}` name or a `{{ variable }}` name.');
  if (!isFiniteNumber(minShare) || minShare < 0 || minShare > 1)
    return problem("`drivenBy`'s `minShare` is a number from 0 to 1.");
  if (target !== undefined && typeof target !== 'string')
    return problem("`drivenBy`'s `target` is a string.");
  return { assertion: { kind: 'drivenBy', range, minShare, ...(target === undefined ? {} : { target }) } };
}

function readSimilar(value: unknown): ReadResult {
  if (!isRecord(value)) return problem('`similar` takes `{to: TEXT, min: -1..1}`.');
  const to = value['to'];
  const min = value['min'];
  if (typeof to !== 'string' || to === '') return problem('`similar` needs `to`: the text to compare with.');
  if (!isFiniteNumber(min) || min < -1 || min > 1)
    return problem("`similar`'s `min` is a cosine similarity from -1 to 1.");
  return { assertion: { kind: 'similar', to, min } };
}

/** A short label for reports: `logprob " Paris" >= -2.5`. */
export function describeAssertion(a: Assertion): string {
  switch (a.kind) {
    case 'contains':
    case 'notContains':
    case 'equals':
    case 'startsWith':
      return `${a.kind} ${JSON.stringify(a.value)}`;
    case 'regex':
      return `regex /${a.pattern}/${a.flags}`;
    case 'json':
      return a.schema ? 'json (schema)' : 'json';
    case 'logprob':
    case 'perplexity':
      return `${a.kind} ${JSON.stringify(a.of)}${a.min === undefined ? '' : ` >= ${a.min}`}${a.max === undefined ? '' : ` <= ${a.max}`}`;
    case 'greedy':
      return `greedy ${JSON.stringify(a.of)}`;
    case 'beats':
      return `beats ${JSON.stringify(a.of)} over ${a.others.map((o) => JSON.stringify(o)).join(', ')} by ${a.margin}`;
    case 'drivenBy':
      return `drivenBy ${a.range} >= ${a.minShare}`;
    case 'similar':
      return `similar to ${JSON.stringify(a.to)} >= ${a.min}`;
  }
}

function problem(message: string): ReadResult {
  return { problem: message };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
