import * as assert from 'node:assert/strict';
import { readAssertion } from '../../../../src/core/promptTests/assertions';
import { checkSchema, validate } from '../../../../src/core/promptTests/jsonSchema';

const ok = (entry: unknown, of?: string) => {
  const read = readAssertion(entry, of);
  if (!('assertion' in read)) throw new Error(`expected an assertion, got: ${read.problem}`);
  return read.assertion;
};
const problem = (entry: unknown) => {
  const read = readAssertion(entry);
  assert.ok('problem' in read, `expected a problem for ${JSON.stringify(entry)}`);
  return read.problem;
};

describe('prompt tests: reading `expect:` assertions', () => {
  it('reads every kind of the issue example', () => {
    assert.deepEqual(ok({ contains: 'Paris' }), { kind: 'contains', value: 'Paris' });
    assert.deepEqual(ok({ notContains: 'London' }), { kind: 'notContains', value: 'London' });
    assert.deepEqual(ok({ equals: 42 }), { kind: 'equals', value: '42' });
    assert.deepEqual(ok({ regex: { pattern: 'a+', flags: 'i' } }), {
      kind: 'regex',
      pattern: 'a+',
      flags: 'i',
    });
    assert.deepEqual(ok({ json: true }), { kind: 'json' });
    assert.deepEqual(ok({ logprob: { of: ' Paris', min: -2.5 } }), {
      kind: 'logprob',
      of: ' Paris',
      min: -2.5,
    });
    assert.deepEqual(ok({ perplexity: { of: ' Paris', max: 4 } }), {
      kind: 'perplexity',
      of: ' Paris',
      max: 4,
    });
    assert.deepEqual(ok({ greedy: ' Paris' }), { kind: 'greedy', of: ' Paris' });
    assert.deepEqual(ok({ beats: { of: ' Paris', others: [' Lyon'], margin: 1 } }), {
      kind: 'beats',
      of: ' Paris',
      others: [' Lyon'],
      margin: 1,
    });
    assert.deepEqual(ok({ drivenBy: { range: 'context', minShare: 0.5 } }), {
      kind: 'drivenBy',
      range: 'context',
      minShare: 0.5,
    });
    assert.deepEqual(ok({ similar: { to: 'The capital is Paris.', min: 0.8 } }), {
      kind: 'similar',
      to: 'The capital is Paris.',
      min: 0.8,
    });
  });

  it("takes `of` from the case's `expected` when left out", () => {
    assert.deepEqual(ok({ logprob: { min: -1 } }, ' yes'), { kind: 'logprob', of: ' yes', min: -1 });
    assert.deepEqual(ok({ beats: { others: [' no'] } }, ' yes'), {
      kind: 'beats',
      of: ' yes',
      others: [' no'],
      margin: 0,
    });
  });

  it('says what is wrong with a bad entry', () => {
    assert.match(problem({ contain: 'x' }), /Unknown assertion `contain`/);
    assert.match(problem({ contains: 'a', equals: 'b' }), /one key/);
    assert.match(problem({ logprob: { of: ' a' } }), /`min` or `max`/);
    assert.match(problem({ regex: '(' }), /Invalid `regex`/);
    assert.match(problem({ regex: { pattern: 'a', flags: 'g' } }), /flags/);
    assert.match(problem({ drivenBy: { range: 'x', minShare: 2 } }), /0 to 1/);
    assert.match(problem({ similar: { to: 'x' } }), /cosine/);
    assert.match(problem({ beats: { of: ' a', others: [] } }), /others/);
    assert.match(
      problem({ json: { schema: { type: 'object', format: 'email' } } }),
      /`format` is not supported/,
    );
  });
});

describe('prompt tests: the JSON Schema subset', () => {
  const schema = {
    type: 'object',
    required: ['city', 'population'],
    additionalProperties: false,
    properties: {
      city: { type: 'string', minLength: 2, pattern: '^[A-Z]' },
      population: { type: 'integer', minimum: 0 },
      tags: { type: 'array', items: { enum: ['capital', 'port'] }, maxItems: 2 },
    },
  };
  it('accepts a conforming value and names the first place another breaks it', () => {
    assert.equal(checkSchema(schema), undefined);
    assert.equal(validate({ city: 'Paris', population: 2100000, tags: ['capital'] }, schema), undefined);
    assert.equal(validate({ city: 'Paris' }, schema), '$: the property "population" is missing');
    assert.equal(
      validate({ city: 'paris', population: 1 }, schema),
      '$.city: "paris" does not match /^[A-Z]/',
    );
    assert.equal(
      validate({ city: 'Paris', population: 1.5 }, schema),
      '$.population: expected integer, got number',
    );
    assert.equal(
      validate({ city: 'Paris', population: 1, mayor: 'x' }, schema),
      '$: the property "mayor" is not allowed',
    );
    assert.equal(
      validate({ city: 'Paris', population: 1, tags: ['river'] }, schema),
      '$.tags[0]: expected one of ["capital","port"], got "river"',
    );
  });
  it('combinators: anyOf, oneOf, not', () => {
    assert.equal(validate(3, { anyOf: [{ type: 'string' }, { type: 'number' }] }), undefined);
    assert.match(validate(true, { anyOf: [{ type: 'string' }, { type: 'number' }] }) ?? '', /none of anyOf/);
    assert.match(validate(3, { oneOf: [{ type: 'number' }, { type: 'integer' }] }) ?? '', /exactly one/);
    assert.match(validate('x', { not: { type: 'string' } }) ?? '', /must not match/);
  });
});
