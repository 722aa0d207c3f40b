import { messageOf } from '../errors';
/**
 * A small JSON Schema subset (draft 2020-12 keyword meanings) for the `json` assertion: type, enum,
 * const, properties, required, additionalProperties, items, minItems, maxItems, minimum, maximum,
 * exclusiveMinimum, exclusiveMaximum, minLength, maxLength, pattern, anyOf, allOf, oneOf, not.
 * Written here rather than pulled in: a full validator (ajv) compiles schemas with `new Function`,
 * which a prompt file must not be able to reach, and the subset covers what a completion is checked for.
 * Unknown keywords are refused when the assertion is read, so a schema never silently checks less.
 */
export type JsonSchema = Record<string, unknown>;

/** The keywords whose value is a number. */
const NUMBER_KEYWORDS = [
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
];
const KEYWORDS = new Set([
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  ...NUMBER_KEYWORDS,
  'pattern',
  'anyOf',
  'allOf',
  'oneOf',
  'not',
  'title',
  'description',
  '$schema',
  'default',
  'examples',
]);
const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);
const MAX_DEPTH = 32;

/** Checks the schema itself; returns a problem or undefined. */
export function checkSchema(schema: unknown, path = '#', depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return `${path}: the schema nests too deeply`;
  if (typeof schema === 'boolean') return undefined;
  if (!isObject(schema)) return `${path}: a schema must be a mapping`;
  for (const key of Object.keys(schema))
    if (!KEYWORDS.has(key))
      return `${path}: the keyword \`${key}\` is not supported (supported: ${[...KEYWORDS].slice(0, 20).join(', ')})`;
  const type = schema['type'];
  const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
  for (const t of types)
    if (typeof t !== 'string' || !TYPES.has(t)) return `${path}/type: unknown type ${JSON.stringify(t)}`;
  if (schema['pattern'] !== undefined) {
    if (typeof schema['pattern'] !== 'string') return `${path}/pattern must be a string`;
    try {
      new RegExp(schema['pattern'], 'u');
    } catch (error) {
      return `${path}/pattern: ${messageOf(error)}`;
    }
  }
  if (
    schema['required'] !== undefined &&
    !(Array.isArray(schema['required']) && schema['required'].every((r) => typeof r === 'string'))
  )
    return `${path}/required must be a list of names`;
  if (schema['enum'] !== undefined && !Array.isArray(schema['enum'])) return `${path}/enum must be a list`;
  const properties = schema['properties'];
  if (properties !== undefined) {
    if (!isObject(properties)) return `${path}/properties must be a mapping`;
    for (const [name, sub] of Object.entries(properties)) {
      const problem = checkSchema(sub, `${path}/properties/${name}`, depth + 1);
      if (problem) return problem;
    }
  }
  for (const key of ['items', 'additionalProperties', 'not'])
    if (schema[key] !== undefined) {
      const problem = checkSchema(schema[key], `${path}/${key}`, depth + 1);
      if (problem) return problem;
    }
  for (const key of ['anyOf', 'allOf', 'oneOf']) {
    const list = schema[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) return `${path}/${key} must be a non-empty list`;
    for (const [i, sub] of list.entries()) {
      const problem = checkSchema(sub, `${path}/${key}/${i}`, depth + 1);
      if (problem) return problem;
    }
  }
  for (const key of NUMBER_KEYWORDS)
    if (schema[key] !== undefined && typeof schema[key] !== 'number')
      return `${path}/${key} must be a number`;
  return undefined;
}

/** The first place where `value` breaks the (checked) schema, or undefined when it conforms. */
export function validate(value: unknown, schema: unknown, path = '$'): string | undefined {
  if (schema === true) return undefined;
  if (schema === false) return `${path}: no value is allowed here`;
  if (!isObject(schema)) return undefined;
  const type = schema['type'];
  if (type !== undefined) {
    const types = (Array.isArray(type) ? type : [type]) as string[];
    if (!types.some((t) => hasType(value, t)))
      return `${path}: expected ${types.join(' or ')}, got ${typeName(value)}`;
  }
  if (Array.isArray(schema['enum']) && !schema['enum'].some((e) => deepEqual(e, value)))
    return `${path}: expected one of ${JSON.stringify(schema['enum'])}, got ${JSON.stringify(value)}`;
  if ('const' in schema && !deepEqual(schema['const'], value))
    return `${path}: expected ${JSON.stringify(schema['const'])}, got ${JSON.stringify(value)}`;
  const problem =
    typeof value === 'number'
      ? numberProblem(value, schema, path)
      : typeof value === 'string'
        ? stringProblem(value, schema, path)
        : Array.isArray(value)
          ? arrayProblem(value, schema, path)
          : isObject(value)
            ? objectProblem(value, schema, path)
            : undefined;
  if (problem) return problem;
  return combinatorProblem(value, schema, path);
}

function numberProblem(value: number, schema: JsonSchema, path: string): string | undefined {
  const min = numberAt(schema, 'minimum'),
    max = numberAt(schema, 'maximum'),
    xmin = numberAt(schema, 'exclusiveMinimum'),
    xmax = numberAt(schema, 'exclusiveMaximum');
  if (min !== undefined && value < min) return `${path}: ${value} is below the minimum ${min}`;
  if (max !== undefined && value > max) return `${path}: ${value} is above the maximum ${max}`;
  if (xmin !== undefined && value <= xmin) return `${path}: ${value} is not above ${xmin}`;
  if (xmax !== undefined && value >= xmax) return `${path}: ${value} is not below ${xmax}`;
  return undefined;
}

function stringProblem(value: string, schema: JsonSchema, path: string): string | undefined {
  const length = [...value].length;
  const min = numberAt(schema, 'minLength'),
    max = numberAt(schema, 'maxLength');
  if (min !== undefined && length < min) return `${path}: shorter than ${min} characters`;
  if (max !== undefined && length > max) return `${path}: longer than ${max} characters`;
  if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value))
    return `${path}: ${JSON.stringify(value)} does not match /${schema['pattern']}/`;
  return undefined;
}

function arrayProblem(value: unknown[], schema: JsonSchema, path: string): string | undefined {
  const min = numberAt(schema, 'minItems'),
    max = numberAt(schema, 'maxItems');
  if (min !== undefined && value.length < min) return `${path}: fewer than ${min} items`;
  if (max !== undefined && value.length > max) return `${path}: more than ${max} items`;
  if (schema['items'] !== undefined)
    for (const [i, item] of value.entries()) {
      const problem = validate(item, schema['items'], `${path}[${i}]`);
      if (problem) return problem;
    }
  return undefined;
}

function objectProblem(value: Record<string, unknown>, schema: JsonSchema, path: string): string | undefined {
  const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
  for (const name of required) if (!(name in value)) return `${path}: the property "${name}" is missing`;
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  for (const [name, item] of Object.entries(value)) {
    const sub = name in properties ? properties[name] : schema['additionalProperties'];
    if (sub === false && !(name in properties)) return `${path}: the property "${name}" is not allowed`;
    if (sub !== undefined) {
      const problem = validate(item, sub, `${path}.${name}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

function combinatorProblem(value: unknown, schema: JsonSchema, path: string): string | undefined {
  const list = (key: string) => (Array.isArray(schema[key]) ? (schema[key] as unknown[]) : undefined);
  for (const sub of list('allOf') ?? []) {
    const problem = validate(value, sub, path);
    if (problem) return problem;
  }
  const anyOf = list('anyOf');
  if (anyOf && !anyOf.some((sub) => validate(value, sub, path) === undefined))
    return `${path}: matches none of anyOf`;
  const oneOf = list('oneOf');
  if (oneOf && oneOf.filter((sub) => validate(value, sub, path) === undefined).length !== 1)
    return `${path}: must match exactly one of oneOf`;
  if (schema['not'] !== undefined && validate(value, schema['not'], path) === undefined)
    return `${path}: must not match \`not\``;
  return undefined;
}

/** The number under `key`, or undefined when there is none. */
function numberAt(schema: JsonSchema, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' ? value : undefined;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
