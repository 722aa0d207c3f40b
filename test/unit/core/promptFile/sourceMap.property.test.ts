import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderPromptFile } from '../../../../src/core/promptFile';
import { assertMapCoversText } from './helpers';

// A random template together with the output it must render to, given VARS.
interface Gen {
  src: string;
  out: (env: Env) => string;
}
type Env = Record<string, string>;

const VARS = { name: 'Ada', city: '東京', mood: 'ok 🙂', list: ['p', 'q'], flag: true, off: false, n: 2 };

const literalChars = fc.constantFrom(
  'a',
  'b',
  'Z',
  ' ',
  '\n',
  '.',
  ',',
  '!',
  '-',
  '#',
  ':',
  '"',
  "'",
  '}',
  '😀',
  '世',
  'é',
  '\t',
);
const literal: fc.Arbitrary<Gen> = fc
  .string({ unit: literalChars, minLength: 1, maxLength: 8 })
  .map((s) => ({ src: s, out: () => s }));
const output: fc.Arbitrary<Gen> = fc.constantFrom<Gen>(
  { src: '{{ name }}', out: () => 'Ada' },
  { src: '{{city}}', out: () => '東京' },
  { src: '{{ mood | upcase }}', out: () => 'OK 🙂' },
  { src: '{{ "lit" }}', out: () => 'lit' },
  { src: '{{ n | plus: 1 }}', out: () => '3' },
  { src: '{{ list | join: "," }}', out: () => 'p,q' },
);

function seq(parts: Gen[]): Gen {
  return { src: parts.map((p) => p.src).join(''), out: (env) => parts.map((p) => p.out(env)).join('') };
}

const template: fc.Arbitrary<Gen> = fc.letrec<{ node: Gen; body: Gen }>((tie) => ({
  body: fc.array(tie('node'), { minLength: 0, maxLength: 4 }).map(seq),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    output,
    fc.tuple(tie('body'), tie('body'), fc.boolean()).map(([a, b, which]): Gen => ({
      src: `{% if ${which ? 'flag' : 'off'} %}${a.src}{% else %}${b.src}{% endif %}`,
      out: (env) => (which ? a.out(env) : b.out(env)),
    })),
    tie('body').map((a): Gen => ({ src: `{% unless off %}${a.src}{% endunless %}`, out: a.out })),
    fc.tuple(tie('body'), tie('body')).map(([a, b]): Gen => ({
      src: `{% case n %}{% when 1 %}${b.src}{% when 2 %}${a.src}{% else %}${b.src}{% endcase %}`,
      out: a.out,
    })),
    tie('body').map((a): Gen => ({
      src: `{% for item in list %}${a.src}[{{ item }}]{% endfor %}`,
      out: (env) => ['p', 'q'].map((item) => `${a.out({ ...env, item })}[${item}]`).join(''),
    })),
    literal.map((a): Gen => ({
      src: `{% raw %}{{ not }}${a.src}{% endraw %}`,
      out: () => `{{ not }}${a.src}`,
    })),
    literal.map((a): Gen => ({ src: `{% comment %}${a.src}{{ x }}{% endcomment %}`, out: () => '' })),
    literal.map((a): Gen => ({ src: `{% # ${a.src.replace(/[\n%]/g, ' ')} %}`, out: () => '' })),
    literal.map((a): Gen => ({
      src: `{% assign v = "${a.src.replace(/["\n]/g, '')}" %}<{{ v }}>`,
      out: () => `<${a.src.replace(/["\n]/g, '')}>`,
    })),
    tie('body').map((a): Gen => ({
      src: `{% capture cap %}${a.src}{% endcapture %}({{ cap }})`,
      out: (env) => `(${a.out(env)})`,
    })),
  ),
}))['body'];

describe('source map property: literal characters map to themselves', () => {
  it('renders random templates as expected, every literal character mapping to the same source character', async () => {
    await fc.assert(
      fc.asyncProperty(template, fc.boolean(), async (gen, withFrontMatter) => {
        const prefix = withFrontMatter ? '---\nmodel: m\n---\n' : '';
        const source = prefix + gen.src;
        const result = await renderPromptFile(source, { vars: VARS });
        assert.deepEqual(
          result.diagnostics.filter((d) => d.severity === 'error'),
          [],
        );
        assert.equal(result.text, gen.out({}));
        assertMapCoversText(result);
        for (const entry of result.map) {
          const rendered = result.text.slice(entry.renderedStart, entry.renderedStart + entry.renderedLength);
          const from = source.slice(entry.sourceStart, entry.sourceStart + entry.sourceLength);
          if (entry.kind === 'text') assert.equal(from, rendered);
          else assert.match(from, /^\{\{[\s\S]*\}\}$/);
          assert.ok(entry.sourceStart >= prefix.length);
        }
      }),
      { numRuns: 300, seed: 20260521 },
    );
  });
});

describe('source map property: with whitespace control', () => {
  it('still maps every literal character to itself when tags trim whitespace', async () => {
    const trimmed = fc
      .tuple(template, fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }))
      .map(([gen, flags]) => {
        let i = 0;
        // Turn some `{{ `/`{% ` into `{{- `/`{%- ` and some ` }}`/` %}` into ` -}}`/` -%}`
        // (not `{%- endraw`, which liquidjs does not recognise).
        return gen.src.replace(/\{\{ |\{% (?!endraw|endcomment)| \}\}| %\}/g, (tag) => {
          const on = flags[i++ % flags.length];
          if (!on) return tag;
          return tag.startsWith('{') ? `${tag.slice(0, 2)}- ` : ` -${tag.slice(1)}`;
        });
      });
    await fc.assert(
      fc.asyncProperty(trimmed, async (source) => {
        const result = await renderPromptFile(source, { vars: VARS });
        assert.deepEqual(
          result.diagnostics.filter((d) => d.severity === 'error'),
          [],
        );
        assertMapCoversText(result);
        for (const entry of result.map.filter((e) => e.kind === 'text')) {
          assert.equal(
            source.slice(entry.sourceStart, entry.sourceStart + entry.sourceLength),
            result.text.slice(entry.renderedStart, entry.renderedStart + entry.renderedLength),
          );
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
