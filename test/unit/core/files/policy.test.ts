// Every attack of issue 10 item 1, through renderPromptFile with the CLI's node:fs reader: each
// read succeeded (or hung) before the file policy existed.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_FILE_LIMITS,
  FilePolicy,
  FileRefusedError,
  type FileReader,
} from '../../../../src/core/files/policy';
import { nodeFileReader } from '../../../../src/core/files/nodeReader';
import { renderPromptFile, type RenderResult } from '../../../../src/core/promptFile';
import { cliTemplateFiles } from '../../../../src/cli/templateFiles';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function workspace(): { dir: string; outside: string; file: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-policy-'));
  const dir = path.join(base, 'project');
  const outside = path.join(base, 'secret');
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'key.txt'), 'SECRET-KEY');
  fs.writeFileSync(path.join(outside, 'key.png'), PNG);
  fs.writeFileSync(path.join(dir, 'ok.png'), PNG);
  fs.writeFileSync(path.join(dir, 'part.liquid'), 'included {{ 1 | plus: 1 }}');
  return { dir, outside, file: path.join(dir, 'sub', 'main.prompt') };
}

/** Renders `source` as the CLI does, confined to `root`. */
function render(
  source: string,
  file: string,
  root: string,
  flags: { maxImageBytes?: string; maxIncludeBytes?: string } = {},
): Promise<RenderResult> {
  return renderPromptFile(source, { path: file, files: cliTemplateFiles(file, { root, ...flags }) });
}

function refusal(
  result: RenderResult,
  source: string,
): { code: string | undefined; message: string; at: string } {
  const error = result.diagnostics.find((d) => d.severity === 'error');
  assert.ok(error, 'expected an error diagnostic');
  return { code: error.code, message: error.message, at: source.slice(error.start, error.end) };
}

describe('file policy: templates read only what they may', () => {
  let ws: ReturnType<typeof workspace>;
  beforeEach(() => (ws = workspace()));
  afterEach(() => fs.rmSync(path.dirname(ws.dir), { recursive: true, force: true }));

  it('reads an image and an include inside the root (also ../ inside it)', async () => {
    const source = '{% image "../ok.png" %}{% include "../part" %}';
    const result = await render(source, ws.file, ws.dir);
    assert.deepEqual(
      result.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.deepEqual(result.items, [
      { type: 'image', data: PNG.toString('base64') },
      { type: 'text', text: 'included 2' },
    ]);
  });

  it('refuses an absolute path outside the root, at the tag', async () => {
    for (const source of [
      `{% image "${path.join(ws.outside, 'key.png')}" %}`,
      `{% include "${path.join(ws.outside, 'key.txt')}" %}`,
      '{% image "/etc/passwd" %}',
    ]) {
      const result = await render(`A ${source} B`, ws.file, ws.dir);
      const found = refusal(result, `A ${source} B`);
      assert.deepEqual([found.code, found.at], ['file-refused', source]);
      assert.match(found.message, /outside the --root folder/);
      assert.ok(!JSON.stringify(result.items).includes(Buffer.from('SECRET-KEY').toString('base64')));
      assert.ok(!result.text.includes('SECRET-KEY'));
    }
  });

  it('refuses ../.. out of the root for image, include, render and layout', async () => {
    for (const source of [
      '{% image "../../secret/key.png" %}',
      '{% include "../../secret/key.txt" %}',
      '{% render "../../secret/key.txt" %}',
      '{% layout "../../secret/key.txt" %}',
      "{% include '../../../../../../../../etc/passwd' %}",
    ]) {
      const result = await render(source, ws.file, ws.dir);
      const found = refusal(result, source);
      assert.deepEqual([found.code, found.at], ['file-refused', source], source);
      assert.ok(!result.text.includes('SECRET-KEY'));
    }
  });

  it('refuses a symlink inside the root that points outside it', async () => {
    fs.symlinkSync(path.join(ws.outside, 'key.txt'), path.join(ws.dir, 'link.liquid'));
    fs.symlinkSync(path.join(ws.outside, 'key.png'), path.join(ws.dir, 'link.png'));
    fs.symlinkSync(ws.outside, path.join(ws.dir, 'linkdir'));
    for (const source of [
      '{% include "../link" %}',
      '{% image "../link.png" %}',
      '{% image "../linkdir/key.png" %}',
    ]) {
      const result = await render(source, ws.file, ws.dir);
      const found = refusal(result, source);
      assert.equal(found.code, 'file-refused', source);
      assert.match(found.message, /links to a file outside/);
      assert.ok(!result.text.includes('SECRET-KEY'));
    }
  });

  it('refuses /dev/zero and /proc/self/environ, also through links inside the root', async () => {
    fs.symlinkSync('/dev/zero', path.join(ws.dir, 'zero.png'));
    fs.symlinkSync('/proc/self/environ', path.join(ws.dir, 'environ.liquid'));
    for (const source of [
      '{% image "/dev/zero" %}',
      '{% image "../zero.png" %}',
      '{% include "/proc/self/environ" %}',
      '{% include "../environ" %}',
    ]) {
      const result = await render(source, ws.file, ws.dir);
      assert.equal(refusal(result, source).code, 'file-refused', source);
      assert.equal(result.items.length, 0);
    }
  });

  it('refuses a FIFO inside the root at once instead of hanging', async function () {
    this.timeout(10_000);
    execFileSync('mkfifo', [path.join(ws.dir, 'pipe.png')]);
    execFileSync('mkfifo', [path.join(ws.dir, 'pipe.liquid')]);
    for (const source of ['{% image "../pipe.png" %}', '{% include "../pipe" %}']) {
      const result = await render(source, ws.file, ws.dir);
      const found = refusal(result, source);
      assert.equal(found.code, 'file-refused');
      assert.match(found.message, /not a regular file/);
    }
  });

  it('refuses devices and FIFOs even when the root would allow them (checked on the open file)', async function () {
    this.timeout(10_000);
    execFileSync('mkfifo', [path.join(ws.dir, 'pipe')]);
    const policy = new FilePolicy({
      root: '/',
      trusted: true,
      limits: DEFAULT_FILE_LIMITS,
      reader: nodeFileReader,
    });
    for (const file of ['/dev/zero', '/dev/null', path.join(ws.dir, 'pipe'), ws.dir])
      await assert.rejects(
        policy.read('image', file, '/'),
        (e: unknown) => e instanceof FileRefusedError && e.reason === 'not-regular',
        file,
      );
  });

  it('caps sizes per kind while reading: images 20 MB, includes 1 MB, configurable', async () => {
    const big = path.join(ws.dir, 'big.png');
    fs.writeFileSync(big, PNG);
    fs.truncateSync(big, DEFAULT_FILE_LIMITS.maxImageBytes + 1);
    const bigInclude = path.join(ws.dir, 'big.liquid');
    fs.writeFileSync(bigInclude, 'x'.repeat(DEFAULT_FILE_LIMITS.maxIncludeBytes + 1));
    for (const source of ['{% image "../big.png" %}', '{% include "../big" %}']) {
      const found = refusal(await render(source, ws.file, ws.dir), source);
      assert.equal(found.code, 'file-refused');
      assert.match(found.message, /larger than the (20 MB|1 MB) allowed .* --max-(image|include)-bytes/);
    }
    const small = await render('{% image "../ok.png" %}{% include "../part" %}', ws.file, ws.dir, {
      maxImageBytes: '4',
      maxIncludeBytes: '4',
    });
    assert.equal(small.diagnostics.filter((d) => /larger than the 4 bytes/.test(d.message)).length, 2);
  });

  it('enforces the cap on the bytes read, not on what stat says (/proc reports size 0)', async () => {
    const policy = new FilePolicy({
      root: '/proc/self',
      trusted: true,
      limits: { maxImageBytes: 8, maxIncludeBytes: 8 },
      reader: nodeFileReader,
    });
    await assert.rejects(
      policy.read('include', 'environ', '/proc/self'),
      (e: unknown) => e instanceof FileRefusedError && e.reason === 'too-large',
    );
  });

  it('reads nothing at all when untrusted: images and includes render as nothing, with a diagnostic saying why', async () => {
    const calls: string[] = [];
    const spy: FileReader = {
      realpath: async (p) => (calls.push(`realpath ${p}`), p),
      read: async (p) => (calls.push(`read ${p}`), new Uint8Array()),
    };
    const source = 'Before {% image "../ok.png" %} middle {% include "../part" %} after {{ 1 | plus: 2 }}';
    const result = await renderPromptFile(source, {
      path: ws.file,
      files: new FilePolicy({ root: ws.dir, trusted: false, limits: DEFAULT_FILE_LIMITS, reader: spy }),
    });
    assert.deepEqual(calls, []);
    assert.equal(result.text, 'Before  middle  after 3');
    const untrusted = result.diagnostics.filter((d) => d.code === 'file-untrusted');
    assert.deepEqual(
      untrusted.map((d) => source.slice(d.start, d.end)),
      ['{% image "../ok.png" %}', '{% include "../part" %}'],
    );
    assert.ok(untrusted.every((d) => d.severity === 'error' && /not trusted/.test(d.message)));
  });

  it('reads nothing for an unsaved file (no folder to be relative to)', async () => {
    const result = await renderPromptFile('{% image "/etc/passwd" %}');
    assert.match(refusal(result, '').message, /save the prompt file first/);
  });

  it('reads a file included from a loop once', async () => {
    let reads = 0;
    const counting: FileReader = {
      realpath: nodeFileReader.realpath,
      read: (p, max) => (reads++, nodeFileReader.read(p, max)),
    };
    const result = await renderPromptFile('{% for i in (1..50) %}{% include "../part" %}{% endfor %}', {
      path: ws.file,
      files: new FilePolicy({ root: ws.dir, trusted: true, limits: DEFAULT_FILE_LIMITS, reader: counting }),
    });
    assert.equal(result.text, 'included 2'.repeat(50));
    assert.equal(reads, 1);
  });
});
