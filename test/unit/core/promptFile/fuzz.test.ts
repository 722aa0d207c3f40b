import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { BackendKind } from '../../../../src/core/backend';
import { renderPromptFile, type RenderResult } from '../../../../src/core/promptFile';
import { repoRoot } from './helpers';

// 10,000 random and mutated `.prompt` files: rendering must never throw, and every result must be
// well formed; bad input only ever shows up as typed diagnostics.
const PIECES = [
  '---\n',
  '---',
  '...\n',
  '\n',
  ' ',
  'text ',
  '{{',
  '}}',
  '{%',
  '%}',
  '{{-',
  '-}}',
  '{%-',
  '-%}',
  '{{ x }}',
  '{{ y.z | upcase }}',
  '{{ "s" | append: x }}',
  '| nofilter',
  '| upcase',
  ':',
  ',',
  '"',
  "'",
  'if',
  'endif',
  'for',
  'endfor',
  'in',
  'else',
  '{% if x %}',
  '{% endif %}',
  '{% for i in xs %}',
  '{% endfor %}',
  '{% raw %}',
  '{% endraw %}',
  '{% comment %}',
  '{% endcomment %}',
  '{% assign a = 1 %}',
  '{% capture c %}',
  '{% endcapture %}',
  '{% promptrange r %}',
  '{% endpromptrange %}',
  '{% image "a.png" %}',
  '{% image %}',
  '{% include "missing" %}',
  '{% case x %}{% when 1 %}',
  '{% endcase %}',
  '{% unless x %}',
  '{% endunless %}',
  '{% # c %}',
  'model: m\n',
  'params:\n',
  '  temperature: 2\n',
  '  top_k: x\n',
  '  bogus: [\n',
  'vars:\n',
  '  x: 1\n',
  'tests:\n',
  '  - vars: 1\n',
  'expected: [a]\n',
  'key: {\n',
  '&anchor ',
  '*alias ',
  '!!binary ',
  '\t',
  '😀',
  '世界',
  '\r\n',
  '\u0000',
  '\uFEFF',
  '{{{',
  '%%}',
  '(1..3)',
];
const KINDS: (BackendKind | undefined)[] = [undefined, 'aleph-alpha', 'llama-cpp', 'openai'];
const SEVERITIES = new Set(['error', 'warning', 'info']);

const pieces = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((p) => p.join(''));
const chars = fc.string({
  maxLength: 60,
  unit: fc.constantFrom('{', '}', '%', '-', '|', '"', '\n', ' ', 'a', 'x', ':', '.', '#', '[', ']'),
});

function seeds(): string[] {
  const dir = path.join(repoRoot(), 'examples');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.prompt'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
}

/** A seed file with a few random insertions, deletions and swaps. */
function mutated(seedFiles: string[]): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom(...PIECES, ''));
  return fc
    .tuple(fc.constantFrom(...seedFiles), fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([seed, edits]) =>
      edits.reduce((text, [at, remove, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + remove);
      }, seed),
    );
}

function assertWellFormed(source: string, result: RenderResult): void {
  assert.equal(typeof result.text, 'string');
  assert.ok(Array.isArray(result.items) && Array.isArray(result.map) && Array.isArray(result.ranges));
  for (const d of result.diagnostics) {
    assert.ok(SEVERITIES.has(d.severity), d.severity);
    assert.equal(typeof d.message, 'string');
    assert.ok(d.message.length > 0);
    for (const n of [d.line, d.column, d.endLine, d.endColumn]) assert.ok(Number.isInteger(n) && n >= 0);
    assert.ok(
      d.start !== undefined &&
        d.end !== undefined &&
        0 <= d.start &&
        d.start <= d.end &&
        d.end <= source.length,
      `${d.start}..${d.end} of ${source.length}`,
    );
  }
  for (const e of result.map) {
    assert.ok(
      e.renderedStart >= 0 &&
        e.renderedLength > 0 &&
        e.renderedStart + e.renderedLength <= result.text.length,
    );
    assert.ok(e.sourceStart >= 0 && e.sourceStart + e.sourceLength <= source.length);
  }
  for (const r of result.ranges)
    assert.ok(r.start >= 0 && r.length >= 0 && r.start + r.length <= result.text.length);
  assert.equal(result.itemStarts.length, result.items.length);
}

describe('fuzz: renderPromptFile never throws', function () {
  this.timeout(120_000);
  it('renders 10,000 random and mutated files to well-formed results', async () => {
    const seedFiles = seeds();
    const input = fc.tuple(
      fc.oneof(pieces, chars, mutated(seedFiles)),
      fc.constantFrom(...KINDS),
      fc.boolean(),
    );
    const files = {
      read: async (_kind: string, p: string): Promise<Uint8Array> => {
        if (p.endsWith('a.png')) return new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
        throw new Error('ENOENT');
      },
    };
    let withErrors = 0;
    await fc.assert(
      fc.asyncProperty(input, async ([source, backendKind, withVars]) => {
        const options = {
          files,
          ...(backendKind ? { backendKind } : {}),
          ...(withVars ? { vars: { x: 1, xs: [1, 2], y: { z: 'q' } } } : {}),
        };
        const result = await renderPromptFile(source, options);
        assertWellFormed(source, result);
        if (result.diagnostics.some((d) => d.severity === 'error')) withErrors++;
        assert.ok(
          !result.diagnostics.some((d) => d.message.startsWith('Internal error')),
          result.diagnostics.map((d) => d.message).join('\n'),
        );
      }),
      { numRuns: 10_000, seed: 424242 },
    );
    // The generators must actually exercise the error paths.
    assert.ok(withErrors > 1000, `only ${withErrors} inputs had errors`);
  });
});
