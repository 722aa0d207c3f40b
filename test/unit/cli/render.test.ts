import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderCommand } from '../../../src/cli/commands/render';

function root(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

async function run(
  argv: string[],
  files: Record<string, string> = {},
): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const readFile = async (p: string): Promise<string> => {
    const content = files[p];
    if (content !== undefined) return content;
    return fs.promises.readFile(p, 'utf8');
  };
  const code = await renderCommand(argv, {
    stdout: (s) => stdout.push(s),
    stderr: (s) => stderr.push(s),
    readFile,
  });
  return { code, stdout, stderr };
}

interface JsonOut {
  text: string;
  items: unknown[];
  map: Record<string, unknown>[];
  diagnostics: Record<string, unknown>[];
}

describe('promptlens render', () => {
  const examples = path.join(root(), 'examples');
  const files = fs.readdirSync(examples).filter((f) => f.endsWith('.prompt'));

  it('has between 3 and 5 examples', () => {
    assert.ok(files.length >= 3 && files.length <= 5, files.join(', '));
  });

  for (const file of files) {
    it(`renders examples/${file} without errors, as JSON with the documented shape`, async () => {
      const { code, stdout, stderr } = await run(['render', path.join(examples, file), '--json']);
      assert.equal(code, 0, stderr.join('\n'));
      assert.equal(stdout.length, 1);
      const out = JSON.parse(stdout[0] ?? '') as JsonOut;
      assert.deepEqual(Object.keys(out), ['text', 'items', 'map', 'diagnostics']);
      assert.ok(out.text.length > 0);
      for (const entry of out.map) {
        for (const key of Object.keys(entry))
          assert.ok(
            ['renderedStart', 'renderedLength', 'sourceStart', 'sourceLength', 'variable'].includes(key),
            key,
          );
      }
      for (const d of out.diagnostics)
        assert.deepEqual(Object.keys(d), ['line', 'column', 'endLine', 'endColumn', 'severity', 'message']);
    });
  }

  it('takes --var values and --var-json values', async () => {
    const file = '/virtual/q.prompt';
    const source = '---\nvars: { who: x, n: 1 }\n---\n{{ who }} {{ n | plus: 1 }} {{ list | join: "+" }}';
    const { code, stdout } = await run(
      [file, '--json', '--var', 'who=World=Earth', '--var-json', 'n=41', '--var-json', 'list=["a","b"]'],
      { [file]: source },
    );
    assert.equal(code, 0);
    const out = JSON.parse(stdout[0] ?? '') as JsonOut;
    assert.equal(out.text, 'World=Earth 42 a+b');
    assert.deepEqual(out.map[0], {
      renderedStart: 0,
      renderedLength: 11,
      sourceStart: source.indexOf('{{ who }}'),
      sourceLength: 9,
      variable: 'who',
    });
  });

  it('exits 1 with diagnostics when the file has an error', async () => {
    const file = '/virtual/bad.prompt';
    const { code, stdout } = await run([file, '--json'], { [file]: 'Hi {{ name | nope }}' });
    assert.equal(code, 1);
    const out = JSON.parse(stdout[0] ?? '') as JsonOut;
    assert.deepEqual(out.diagnostics, [
      { line: 0, column: 3, endLine: 0, endColumn: 20, severity: 'error', message: 'Unknown filter: nope' },
    ]);
  });

  it('prints text and readable diagnostics without --json', async () => {
    const file = '/virtual/w.prompt';
    const { code, stdout, stderr } = await run([file], { [file]: '---\nmodle: x\n---\nHello\nthere' });
    assert.equal(code, 0);
    assert.deepEqual(stdout, ['Hello\nthere']);
    assert.deepEqual(stderr, [
      '/virtual/w.prompt:2:1: warning: Unknown front matter key `modle`; known keys: backend, model, params, vars, expected, target, tests.',
    ]);
  });

  it('checks images against --backend-kind', async () => {
    const { code, stderr } = await run([
      path.join(examples, 'describe-image.prompt'),
      '--backend-kind',
      'openai',
    ]);
    assert.equal(code, 1);
    assert.ok(stderr.some((line) => line.includes('error: The openai backend takes no images')));
  });

  it('exits 2 on usage errors', async () => {
    for (const argv of [
      [],
      ['a', 'b'],
      ['f', '--var', 'novalue'],
      ['f', '--bogus'],
      ['f', '--backend-kind', 'gpt'],
      ['f', '--var-json', 'a={'],
    ]) {
      const { code, stderr } = await run(argv);
      assert.equal(code, 2, argv.join(' '));
      assert.ok(stderr.some((line) => line.startsWith('usage: promptlens render')));
    }
    const missing = await run(['/no/such/file.prompt']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr[0] ?? '', /cannot read/);
  });

  it('prints usage for --help', async () => {
    const { code, stdout } = await run(['--help']);
    assert.equal(code, 0);
    assert.match(stdout[0] ?? '', /^usage: promptlens render FILE/);
  });
});

describe('promptlens render: what a template may read', () => {
  it("reads only inside the prompt file's folder unless --root widens it; caps by flag", async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-cli-root-'));
    fs.mkdirSync(path.join(base, 'prompts'));
    fs.writeFileSync(path.join(base, 'common.liquid'), 'common text');
    const file = path.join(base, 'prompts', 'p.prompt');
    fs.writeFileSync(file, 'A {% include "../common" %} B');
    try {
      const refused = await run([file]);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr.join('\n'),
        /outside the prompt file's folder \(allow a wider one with --root DIR\)/,
      );
      const allowed = await run([file, '--root', base]);
      assert.deepEqual([allowed.code, allowed.stdout], [0, ['A common text B']]);
      const capped = await run([file, '--root', base, '--max-include-bytes', '4']);
      assert.equal(capped.code, 1);
      assert.match(
        capped.stderr.join('\n'),
        /larger than the 4 bytes allowed for includes \(raise it with --max-include-bytes N\)/,
      );
      assert.equal((await run([file, '--max-include-bytes', 'lots'])).code, 2);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
