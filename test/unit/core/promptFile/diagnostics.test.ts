import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderPromptFile } from '../../../../src/core/promptFile';
import { equivalentParam } from '../../../../src/core/promptFile/params';

function at(source: string, d: { start?: number; end?: number } | undefined): string {
  return source.slice(d?.start, d?.end);
}

describe('renderPromptFile: diagnostics', () => {
  it('reports a Liquid syntax error with its exact range and line/column', async () => {
    const source = '---\nmodel: m\n---\nline one\nand {% iff x %} here';
    const result = await renderPromptFile(source);
    assert.equal(result.diagnostics.length, 1);
    const [d] = result.diagnostics;
    assert.equal(d?.code, 'liquid-syntax');
    assert.deepEqual([d?.line, d?.column, d?.endLine, d?.endColumn], [4, 4, 4, 15]);
    assert.equal(at(source, d), '{% iff x %}');
    assert.equal(result.text, '');
  });

  it('reports an unclosed output', async () => {
    const result = await renderPromptFile('a {{ x ');
    assert.equal(result.diagnostics[0]?.code, 'liquid-syntax');
    assert.match(result.diagnostics[0]?.message ?? '', /not closed/);
  });

  it('makes an unknown filter an error (strict filters)', async () => {
    const source = '{{ name | upcsae }}';
    const result = await renderPromptFile(source, { vars: { name: 'x' } });
    assert.equal(result.diagnostics[0]?.message, 'Unknown filter: upcsae');
    assert.equal(at(source, result.diagnostics[0]), source);
  });

  it('makes an undefined variable an error at its output, keeping the text rendered so far', async () => {
    const source = 'Dear {{ nmae }}, hello';
    const result = await renderPromptFile(source, { vars: { name: 'x' } });
    const [d] = result.diagnostics;
    assert.equal(d?.severity, 'error');
    assert.equal(d?.code, 'undefined-variable');
    assert.equal(at(source, d), 'nmae');
    assert.equal(result.text, 'Dear ');
  });

  it('warns statically about every undefined variable, even ones a condition guards', async () => {
    const source =
      '{% if maybe %}x{% endif %}{% assign a = 1 %}{{ a }}{% for i in list %}{{ i }}{{ forloop.index }}{% endfor %}{% capture c %}{% endcapture %}{{ c }}';
    const result = await renderPromptFile(source, { vars: { list: [1] } });
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.code, at(source, d)]),
      [['warning', 'undefined-variable', 'maybe']],
    );
    assert.equal(result.text, '111');
  });

  it('reports YAML errors at their position and keeps going', async () => {
    const source = '---\nmodel: [unclosed\n---\nbody';
    const result = await renderPromptFile(source);
    assert.ok(result.diagnostics.some((d) => d.code === 'yaml' && d.severity === 'error' && d.line >= 1));
    assert.equal(result.text, 'body');
  });

  it('reports an unclosed front matter', async () => {
    const result = await renderPromptFile('---\nmodel: x\nbody {{ y }}');
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.line, d.column, d.endColumn]),
      [['front-matter', 0, 0, 3]],
    );
    assert.equal(result.text, '');
  });

  it('reports diagnostics sorted by position, with offsets matching line/column', async () => {
    const source = '---\nfoo: 1\nparams:\n  temperature: -1\n---\n{{ a }}{% if b %}{% endif %}';
    const result = await renderPromptFile(source, { vars: { a: 1 }, backendKind: 'aleph-alpha' });
    const starts = result.diagnostics.map((d) => d.start ?? -1);
    assert.deepEqual(
      starts,
      [...starts].sort((x, y) => x - y),
    );
    const lines = source.split('\n');
    for (const d of result.diagnostics) {
      const offset = lines.slice(0, d.line).reduce((n, l) => n + l.length + 1, 0) + d.column;
      assert.equal(offset, d.start);
    }
  });

  it('never throws on non-string input', async () => {
    const result = await renderPromptFile(undefined as unknown as string);
    assert.equal(typeof result.text, 'string');
  });
});

describe('renderPromptFile: limits', () => {
  it('turns a runaway range into an error instead of a hang', async () => {
    const result = await renderPromptFile('{% for i in (1..1000000000) %}x{% endfor %}');
    assert.equal(result.diagnostics[0]?.severity, 'error');
    assert.match(result.diagnostics[0]?.message ?? '', /memory/i);
  });
});

describe('renderPromptFile: stray closers', () => {
  it('warns about a `}}` or `%}` left in the text after a tag was closed', async () => {
    const source = '---\nvars:\n  name: Ada\n---\nHello {{ name }} }}, {% if true %}yes %}{% endif %}';
    const result = await renderPromptFile(source);
    const stray = result.diagnostics.filter((d) => d.code === 'stray-closer');
    assert.deepEqual(
      stray.map((d) => [at(source, d), d.severity, d.line]),
      [
        ['}}', 'warning', 4],
        ['%}', 'warning', 4],
      ],
    );
    assert.match(stray[0]?.message ?? '', /closes nothing here and goes into the prompt/);
    assert.equal(result.text, 'Hello Ada }}, yes %}', 'the text itself is rendered as before');
  });

  it('says nothing for closers inside tags, {% raw %} or comments', async () => {
    const source =
      '{{ "}}" }} {% assign x = 1 %}{% raw %}{{ }} %}{% endraw %}{% comment %} }} {% endcomment %}';
    const result = await renderPromptFile(source);
    assert.deepEqual(
      result.diagnostics.filter((d) => d.code === 'stray-closer'),
      [],
    );
  });
});

describe('renderPromptFile: parameters of another backend', () => {
  it("names the active backend's equivalent in a short message", async () => {
    const source = '---\nparams:\n  n_predict: 20\n  stop: ["\\n"]\n  bogus: 1\n---\nHi';
    const result = await renderPromptFile(source, { backendKind: 'aleph-alpha' });
    const unknown = result.diagnostics.filter((d) => d.code === 'unknown-param');
    assert.deepEqual(
      unknown.map((d) => [at(source, d), d.message]),
      [
        [
          'n_predict',
          'Unknown parameter `n_predict` for the aleph-alpha backend: its equivalent there is `maximum_tokens`.',
        ],
        [
          'stop',
          'Unknown parameter `stop` for the aleph-alpha backend: its equivalent there is `stop_sequences`.',
        ],
        ['bogus', unknown[2]?.message ?? ''],
      ],
    );
    assert.match(unknown[2]?.message ?? '', /it is sent as is/);
  });

  it('maps back from Aleph Alpha names on llama.cpp and OpenAI-compatible servers', () => {
    assert.equal(equivalentParam('maximum_tokens', 'llama-cpp'), 'n_predict');
    assert.equal(equivalentParam('stop_sequences', 'llama-cpp'), 'stop');
    assert.equal(equivalentParam('n_predict', 'openai'), 'max_tokens');
    assert.equal(equivalentParam('n_probs', 'aleph-alpha'), 'log_probs');
    assert.equal(equivalentParam('seed', 'aleph-alpha'), undefined, 'no equivalent: no rename offered');
    assert.equal(equivalentParam('temperature', 'aleph-alpha'), undefined, 'the same name needs no rename');
  });
});

describe('renderPromptFile: the prompt ends in a newline before a target with a leading space', () => {
  it('warns on the key, saying what the model sees', async () => {
    const source = '---\nexpected: " Paris"\ntarget: " Paris"\n---\nQ: capital of France?\nA:\n';
    const result = await renderPromptFile(source);
    const found = result.diagnostics.filter((d) => d.code === 'newline-before-space');
    assert.deepEqual(
      found.map((d) => at(source, d)),
      ['expected', 'target'],
    );
    assert.match(found[0]?.message ?? '', /the model sees "\\n Paris"/);
  });

  it('says nothing when the body ends without a newline or the target has no leading space', async () => {
    for (const source of ['---\ntarget: " Paris"\n---\nA:', '---\ntarget: "Paris"\n---\nA:\n']) {
      const result = await renderPromptFile(source);
      assert.deepEqual(
        result.diagnostics.filter((d) => d.code === 'newline-before-space'),
        [],
        source,
      );
    }
  });

  it('the examples render to prompts that end where their targets begin', async () => {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
    const examples = path.join(dir, 'examples');
    for (const name of fs.readdirSync(examples).filter((f) => f.endsWith('.prompt'))) {
      const file = path.join(examples, name);
      const result = await renderPromptFile(fs.readFileSync(file, 'utf8'), { path: file });
      assert.deepEqual(
        result.diagnostics.filter((d) => d.code === 'newline-before-space').map((d) => d.message),
        [],
        name,
      );
    }
  });
});
