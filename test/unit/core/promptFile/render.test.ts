import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Placeholders, renderPromptFile } from '../../../../src/core/promptFile';
import { assertMapCoversText, assertNoErrors, mapPairs, repoRoot, tempDir } from './helpers';

describe('renderPromptFile: rendering and source map', () => {
  it('renders a file without front matter as plain text with a one-to-one map', async () => {
    const result = await renderPromptFile('Hello world');
    assertNoErrors(result);
    assert.equal(result.text, 'Hello world');
    assert.equal(result.prompt, 'Hello world');
    assert.deepEqual(result.items, [{ type: 'text', text: 'Hello world' }]);
    assert.deepEqual(result.map, [
      { renderedStart: 0, renderedLength: 11, sourceStart: 0, sourceLength: 11, kind: 'text' },
    ]);
    assert.deepEqual(result.itemStarts, [0]);
    assert.equal(result.bodyStart, 0);
  });

  it('maps outputs to their tag, names the root variable, and offsets into the whole file', async () => {
    const source = '---\nvars:\n  user: { name: ann }\n---\nHi {{ user.name | upcase }}!';
    const result = await renderPromptFile(source);
    assertNoErrors(result);
    assert.equal(result.text, 'Hi ANN!');
    assert.equal(result.bodyStart, source.indexOf('Hi'));
    assert.deepEqual(mapPairs(source, result), [
      ['Hi ', 'Hi ', undefined],
      ['ANN', '{{ user.name | upcase }}', 'user'],
      ['!', '!', undefined],
    ]);
    assert.equal(result.map[1]?.kind, 'output');
    assertMapCoversText(result);
  });

  it('maps literal text inside loops once per iteration', async () => {
    const source = '{% for x in xs %}[{{ x }}]{% endfor %}';
    const result = await renderPromptFile(source, { vars: { xs: ['a', 'b'] } });
    assert.equal(result.text, '[a][b]');
    assert.deepEqual(mapPairs(source, result), [
      ['[', '[', undefined],
      ['a', '{{ x }}', 'x'],
      [']', ']', undefined],
      ['[', '[', undefined],
      ['b', '{{ x }}', 'x'],
      [']', ']', undefined],
    ]);
    const brackets = result.map.filter((e) => e.kind === 'text').map((e) => e.sourceStart);
    assert.deepEqual(brackets, [17, 25, 17, 25]);
  });

  it('honours whitespace control in the map', async () => {
    const source = 'a  {%- if true -%}  b  {%- endif %}';
    const result = await renderPromptFile(source);
    assert.equal(result.text, 'ab');
    for (const entry of result.map)
      assert.equal(
        source.slice(entry.sourceStart, entry.sourceStart + entry.sourceLength),
        result.text.slice(entry.renderedStart, entry.renderedStart + entry.renderedLength),
      );
  });

  it('maps raw blocks character by character, capture output to the output tag, echo to its tag', async () => {
    const source =
      '{% capture c %}x{{ z }}{% endcapture %}[{{ c }}]{% raw %}{{ q }}{% endraw %}{% echo z | append: "!" %}';
    const result = await renderPromptFile(source, { vars: { z: 'Z' } });
    assertNoErrors(result);
    assert.equal(result.text, '[xZ]{{ q }}Z!');
    assert.deepEqual(mapPairs(source, result), [
      ['[', '[', undefined],
      ['xZ', '{{ c }}', 'c'],
      [']', ']', undefined],
      ['{{ q }}', '{{ q }}', undefined],
      ['Z!', '{% echo z | append: "!" %}', 'z'],
    ]);
  });

  it('takes variables from front matter defaults, overridden by options.vars', async () => {
    const source = '---\nvars:\n  a: default\n  b: kept\n---\n{{ a }} {{ b }}';
    const result = await renderPromptFile(source, { vars: { a: 'given' } });
    assert.equal(result.text, 'given kept');
  });

  it('does not HTML-escape', async () => {
    const result = await renderPromptFile('{{ s }}', { vars: { s: '<b>&"' } });
    assert.equal(result.text, '<b>&"');
  });

  it('maps included text to the include tag and records its origin', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'shot.liquid'), 'Q: {{ q }}\n');
    const file = path.join(dir, 'main.prompt');
    const source = "Start\n{% include 'shot' %}End";
    const result = await renderPromptFile(source, { path: file, vars: { q: 'why' } });
    assertNoErrors(result);
    assert.equal(result.text, 'Start\nQ: why\nEnd');
    const tag = "{% include 'shot' %}";
    const fromInclude = result.map.filter((e) => e.included);
    assert.ok(fromInclude.length >= 2);
    for (const entry of fromInclude)
      assert.equal(source.slice(entry.sourceStart, entry.sourceStart + entry.sourceLength), tag);
    assert.deepEqual(fromInclude[0]?.included, { file: path.join(dir, 'shot.liquid'), start: 0, length: 3 });
    assertMapCoversText(result);
  });
  it('reports an error inside an included file at the include tag, naming the file', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'broken.liquid'), 'ok {{ nope }}');
    const source = "A {% include 'broken' %} B";
    const result = await renderPromptFile(source, { path: path.join(dir, 'main.prompt') });
    const error = result.diagnostics.find((d) => d.severity === 'error');
    assert.equal(source.slice(error?.start, error?.end), "{% include 'broken' %}");
    assert.match(error?.message ?? '', /broken\.liquid/);
    assert.equal(result.text, 'A ok ');
  });
});

describe('renderPromptFile: promptrange', () => {
  it('lists ranges in rendered and source offsets, once per iteration', async () => {
    const source =
      'A {% promptrange intro %}Hello {{ n }}{% endpromptrange %} {% for i in (1..2) %}{% promptrange shot %}#{{ i }}{% endpromptrange %}{% endfor %}';
    const result = await renderPromptFile(source, { vars: { n: 'Bo' } });
    assertNoErrors(result);
    assert.equal(result.text, 'A Hello Bo #1#2');
    const slices = result.ranges.map((r) => [
      r.name,
      result.text.slice(r.start, r.start + r.length),
      source.slice(r.sourceStart, r.sourceStart + r.sourceLength),
    ]);
    assert.deepEqual(slices, [
      ['intro', 'Hello Bo', 'Hello {{ n }}'],
      ['shot', '#1', '#{{ i }}'],
      ['shot', '#2', '#{{ i }}'],
    ]);
  });

  it('supports nested ranges and quoted names', async () => {
    const result = await renderPromptFile(
      '{% promptrange "all of it" %}a{% promptrange inner %}b{% endpromptrange %}c{% endpromptrange %}',
    );
    assert.deepEqual(
      result.ranges.map((r) => [r.name, r.start, r.length]),
      [
        ['inner', 1, 1],
        ['all of it', 0, 3],
      ],
    );
  });

  it('reports an unclosed range as a syntax error', async () => {
    const result = await renderPromptFile('x {% promptrange a %}y');
    assert.equal(result.diagnostics[0]?.code, 'liquid-syntax');
    assert.match(result.diagnostics[0]?.message ?? '', /not closed/);
    assert.equal(result.diagnostics[0]?.start, 2);
  });
});

describe('renderPromptFile: items, images and placeholders', () => {
  const examples = path.join(repoRoot(), 'examples');

  it('turns placeholders in variables into items and removes them from text and map', async () => {
    const placeholders = new Placeholders();
    const ids = placeholders.placeholder({ type: 'token_ids', ids: [1, 2] });
    const source = 'A {{ t }} B{% promptrange r %}c{{ t }}d{% endpromptrange %}';
    const result = await renderPromptFile(source, { vars: { t: ids }, placeholders });
    assert.deepEqual(result.items, [
      { type: 'text', text: 'A ' },
      { type: 'token_ids', ids: [1, 2] },
      { type: 'text', text: ' Bc' },
      { type: 'token_ids', ids: [1, 2] },
      { type: 'text', text: 'd' },
    ]);
    assert.equal(result.text, 'A  Bcd');
    assert.deepEqual(result.prompt, result.items);
    assert.deepEqual(result.itemStarts, [0, 2, 2, 5, 5]);
    assert.deepEqual(
      result.ranges.map((r) => [r.start, r.length]),
      [[4, 2]],
    );
    assertMapCoversText(result);
    for (const entry of result.map.filter((e) => e.kind === 'text')) {
      assert.equal(
        source.slice(entry.sourceStart, entry.sourceStart + entry.sourceLength),
        result.text.slice(entry.renderedStart, entry.renderedStart + entry.renderedLength),
      );
    }
  });

  it('keeps the text of an output that mixes text and a placeholder', async () => {
    const placeholders = new Placeholders();
    const marker = placeholders.placeholder({ type: 'token_ids', ids: [7] });
    const source = '{{ "x" | append: m | append: "y" }}';
    const result = await renderPromptFile(source, { vars: { m: marker }, placeholders });
    assert.equal(result.text, 'xy');
    assert.deepEqual(
      result.map.map((e) => [e.renderedStart, e.renderedLength, e.sourceStart, e.sourceLength]),
      [
        [0, 1, 0, source.length],
        [1, 1, 0, source.length],
      ],
    );
  });

  it('embeds an image relative to the file, as base64', async () => {
    const file = path.join(examples, 'describe-image.prompt');
    const result = await renderPromptFile(fs.readFileSync(file, 'utf8'), {
      path: file,
      backendKind: 'aleph-alpha',
    });
    assertNoErrors(result);
    const image = result.items[0];
    assert.equal(image?.type, 'image');
    if (image?.type === 'image')
      assert.equal(
        image.data,
        fs.readFileSync(path.join(examples, 'images', 'checker.png')).toString('base64'),
      );
    assert.ok(!result.text.includes('image'));
    assert.equal(result.text.trimStart().startsWith('What pattern'), true);
  });

  it('passes crop arguments and validates them', async () => {
    const file = path.join(examples, 'x.prompt');
    const ok = await renderPromptFile('{% image "images/checker.png" x: 0, y: 1, size: 4 %}', { path: file });
    assert.deepEqual({ ...ok.items[0], data: '' }, { type: 'image', data: '', x: 0, y: 1, size: 4 });
    const bad = await renderPromptFile('{% image "images/checker.png" x: 0 %}', { path: file });
    assert.deepEqual(
      bad.diagnostics.map((d) => d.code),
      ['image-format'],
    );
  });

  it('reports a missing image at the tag', async () => {
    const source = 'See {% image "nope.png" %} now';
    const result = await renderPromptFile(source, { path: path.join(examples, 'x.prompt') });
    const [d] = result.diagnostics;
    assert.equal(d?.code, 'image-missing');
    assert.equal(d?.severity, 'error');
    assert.equal(source.slice(d?.start, d?.end), '{% image "nope.png" %}');
    assert.equal(result.text, 'See  now');
  });

  it('reports images for backends without image input, also through variables', async () => {
    const file = path.join(examples, 'describe-image.prompt');
    const result = await renderPromptFile(fs.readFileSync(file, 'utf8'), {
      path: file,
      backendKind: 'llama-cpp',
    });
    assert.deepEqual(
      result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code),
      ['image-unsupported'],
    );
    const placeholders = new Placeholders();
    const marker = placeholders.placeholder({ type: 'image', data: 'iVBORw0KGgo=' });
    const viaVar = await renderPromptFile('Look: {{ pic }}', {
      vars: { pic: marker },
      placeholders,
      backendKind: 'openai',
    });
    const [d] = viaVar.diagnostics;
    assert.equal(d?.code, 'image-unsupported');
    assert.equal('Look: {{ pic }}'.slice(d?.start, d?.end), '{{ pic }}');
  });

  it('gives an empty prompt for an empty template', async () => {
    const result = await renderPromptFile('');
    assert.deepEqual([result.text, result.items, result.prompt, result.map], ['', [], '', []]);
  });

  it('reads images through options.files when given', async () => {
    const seen: string[] = [];
    const result = await renderPromptFile('{% image "a.png" %}', {
      path: '/virtual/dir/p.prompt',
      posixPaths: true,
      files: {
        read: async (kind, p, fromDir) => {
          seen.push(`${kind} ${p} ${fromDir}`);
          return new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
        },
      },
    });
    assert.deepEqual(seen, ['image a.png /virtual/dir']);
    assert.deepEqual(result.items, [{ type: 'image', data: 'iVBORw==' }]);
  });
});
