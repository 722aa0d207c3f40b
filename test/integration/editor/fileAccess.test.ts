// Issue 10, items 1 and 2 in the real VS Code: what a `.prompt` file may read (the workspace folder
// through the file policy, nothing when untrusted) and rendering in the worker, superseded by edits.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import { renderForKind, renderTemplate } from '../../../src/features/common/promptSource';
import { renderCache } from '../../../src/features/common/renderCache';
import { tokenCounter } from '../../../src/features/tokens/index';
import { closeAllEditors, extensionCtx, waitFor } from './helpers';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SECRET = 'SECRET-OUTSIDE-THE-WORKSPACE';

/** Each attack of the issue as a tag, and what must be said about it. */
const ATTACKS: [tag: string, message: RegExp][] = [
  ['{% image "/etc/passwd" %}', /outside the workspace folder/],
  ['{% include "../../../../../../../../etc/passwd" %}', /outside the workspace folder/],
  ['{% image "escape.png" %}', /links to a file outside the workspace folder/],
  ['{% include "escape" %}', /links to a file outside the workspace folder/],
  ['{% image "/dev/zero" %}', /outside the workspace folder/],
  ['{% image "zero.png" %}', /links to a file outside the workspace folder/],
  ['{% image "pipe.png" %}', /not a regular file/],
  ['{% include "pipe" %}', /not a regular file/],
  ['{% include "/proc/self/environ" %}', /outside the workspace folder/],
  [
    '{% image "big.png" %}',
    /larger than the 20 MB allowed for images \(raise the setting promptLens.files.maxImageBytes\)/,
  ],
];

describe('editor: what a .prompt file may read, rendered off the event loop', function () {
  this.timeout(60_000);
  let ctx: Ctx;
  let dir: string;
  let outside: string;

  before(async () => {
    ctx = await extensionCtx();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder && folder.uri.scheme === 'file');
    dir = path.join(folder.uri.fsPath, 'file-access');
    fs.mkdirSync(dir, { recursive: true });
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.png'), Buffer.concat([PNG, Buffer.from(SECRET)]));
    fs.writeFileSync(path.join(outside, 'secret.liquid'), SECRET);
    fs.writeFileSync(path.join(dir, 'ok.png'), PNG);
    fs.writeFileSync(path.join(dir, 'part.liquid'), 'included part');
    fs.symlinkSync(path.join(outside, 'secret.png'), path.join(dir, 'escape.png'));
    fs.symlinkSync(path.join(outside, 'secret.liquid'), path.join(dir, 'escape.liquid'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.png'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.png')]);
    execFileSync('mkfifo', [path.join(dir, 'pipe.liquid')]);
    fs.writeFileSync(path.join(dir, 'big.png'), PNG);
    fs.truncateSync(path.join(dir, 'big.png'), 20 * 1024 * 1024 + 1);
  });
  after(async () => {
    ctx.service(renderCache).trusted = () => vscode.workspace.isTrusted;
    ctx.service(renderCache).forgetAll();
    await closeAllEditors();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  async function openPrompt(name: string, content: string): Promise<vscode.TextDocument> {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    return document;
  }

  it('trusted: every attack is an error on its tag, in Problems; nothing of it reaches the prompt', async () => {
    const source = [
      'Good: {% image "ok.png" %}{% include "part" %}',
      ...ATTACKS.map(([tag]) => `Attack: ${tag}`),
      'End.',
    ].join('\n');
    const document = await openPrompt('attacks.prompt', source);
    const problems = await waitFor('a diagnostic per attack', () => {
      // (The active llama.cpp profile also says it takes no images: not what is tested here.)
      const found = vscode.languages
        .getDiagnostics(document.uri)
        .filter((d) => d.source === 'Prompt Lens' && d.code !== 'image-unsupported');
      return found.length >= ATTACKS.length && found;
    });
    for (const [tag, message] of ATTACKS) {
      const problem = problems.find((d) => document.getText(d.range) === tag);
      assert.ok(problem, `no diagnostic on ${tag}: ${problems.map((d) => d.message).join(' | ')}`);
      assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(problem.code, 'file-refused', tag);
      assert.match(problem.message, message, tag);
    }
    assert.equal(problems.length, ATTACKS.length, 'the good image and include are read without a problem');
    const render = await renderForKind(ctx, document, 'aleph-alpha');
    assert.deepEqual(
      render.items.filter((i) => i.type === 'image'),
      [{ type: 'image', data: PNG.toString('base64') }],
    );
    assert.ok(render.text.startsWith('Good: included part\nAttack: \n'));
    const everything = JSON.stringify(render);
    assert.ok(
      !everything.includes(SECRET) &&
        !everything.includes(Buffer.from(SECRET).toString('base64').slice(0, 12)),
    );
  });

  it('an included file created, broken or fixed on disk updates the Problems of the unedited prompt', async () => {
    const later = path.join(dir, 'later.liquid');
    fs.rmSync(later, { force: true });
    const document = await openPrompt('later.prompt', 'Before {% include "later" %} after');
    const errors = () =>
      vscode.languages
        .getDiagnostics(document.uri)
        .filter((d) => d.source === 'Prompt Lens' && d.severity === vscode.DiagnosticSeverity.Error);
    const missing = await waitFor('the missing include', () => errors()[0]);
    assert.equal(document.getText(missing.range), '{% include "later" %}');

    fs.writeFileSync(later, '{% if %}broken');
    const broken = await waitFor('the broken include', () => {
      const problem = errors()[0];
      return problem && problem.message !== missing.message && problem;
    });
    assert.equal(document.getText(broken.range), '{% include "later" %}');
    assert.match(broken.message, /later\.liquid/);

    fs.writeFileSync(later, 'the later part');
    await waitFor('no problem once the include is fixed', () => errors().length === 0);
    assert.equal((await renderTemplate(ctx, document)).text, 'Before the later part after');
    assert.equal(document.version, 1, 'the prompt itself was not edited');
  });

  it('untrusted: nothing is read; images and includes render as nothing, with a diagnostic saying why', async () => {
    const service = ctx.service(renderCache);
    service.trusted = () => false;
    service.forgetAll();
    const source = 'A {% image "ok.png" %} B {% include "part" %} C {{ "rest" | upcase }}';
    const document = await openPrompt('untrusted.prompt', source);
    const render = await renderForKind(ctx, document, 'aleph-alpha');
    assert.equal(render.text, 'A  B  C REST');
    assert.deepEqual(render.items, [{ type: 'text', text: 'A  B  C REST' }]);
    const refused = render.diagnostics.filter((d) => d.code === 'file-untrusted');
    assert.deepEqual(
      refused.map((d) => source.slice(d.start, d.end)),
      ['{% image "ok.png" %}', '{% include "part" %}'],
    );
    assert.ok(
      refused.every(
        (d) =>
          d.severity === 'error' &&
          /not trusted, so Prompt Lens reads no files while rendering/.test(d.message),
      ),
    );
    // Trusted again, the same version renders with both files.
    service.trusted = () => true;
    service.forgetAll();
    const trusted = await renderForKind(ctx, document, 'aleph-alpha');
    assert.deepEqual(
      trusted.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.equal(trusted.text, 'A  B included part C REST');
  });

  it('a newer version of the document cancels the render of the older one', async () => {
    // 27 million iterations: seconds of work, within the memory limit.
    const slow =
      '{% for i in (1..300) %}{% for j in (1..300) %}{% for k in (1..300) %}{% endfor %}{% endfor %}{% endfor %}';
    const document = await openPrompt('slow.prompt', slow);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document === document);
    const older = renderTemplate(ctx, document);
    await editor.edit((edit) => edit.replace(new vscode.Range(0, 0, 0, slow.length), 'now fast {{ "x" }}'));
    const newer = renderTemplate(ctx, document);
    // By name: the feature bundle has its own copy of the class.
    await assert.rejects(
      older,
      (error: Error) => error.name === 'RenderCancelledError' && /superseded/.test(error.message),
    );
    assert.equal((await newer).text, 'now fast x');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  describe('a file it read changes on disk while it renders', () => {
    // The included file sets the loop's length: seconds of work with `long`, none with `short`.
    const long = (mark: string) => `{% assign n = 10000 %}${mark}`;
    const short = (mark: string) => `{% assign n = 1 %}${mark}`;
    const source =
      '{% include "changing" %}{% for i in (1..n) %}{% for j in (1..10000) %}{% endfor %}{% endfor %}';
    let part: string;
    beforeEach(() => {
      part = path.join(dir, 'changing.liquid');
      fs.writeFileSync(part, long('old'));
    });
    // Whatever the test left running ends quickly.
    afterEach(() => fs.writeFileSync(part, short('done')));

    it('renders again with the new file, not as an error: the text did not change', async () => {
      const document = await openPrompt('changing.prompt', source);
      const rendering = renderForKind(ctx, document, 'aleph-alpha');
      // The long rendering has read the file by now; the new one is quick.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      fs.writeFileSync(part, short('new'));
      assert.equal((await rendering).text, 'new');
      assert.equal(document.version, 1);
    });

    it('gives up with an error saying why when the file keeps changing', async () => {
      const document = await openPrompt('changing-often.prompt', source);
      const rendering = renderForKind(ctx, document, 'aleph-alpha');
      let writes = 0;
      const writer = setInterval(() => fs.writeFileSync(part, long(`v${++writes}`)), 250);
      try {
        const render = await rendering;
        assert.equal(render.text, '');
        assert.deepEqual(
          render.diagnostics.map((d) => [d.severity, d.message]),
          [
            [
              'error',
              'Rendering was restarted 3 times because files it reads kept changing on disk. Try again once they settle.',
            ],
          ],
        );
      } finally {
        clearInterval(writer);
      }
    });
  });

  it('a prompt of megabytes is rendered but not sent to be counted on every pause in typing', async () => {
    const document = await openPrompt(
      'huge.prompt',
      `${'Many words of a very long prompt. '.repeat(40_000)}{{ "end" }}`,
    );
    const state = await waitFor(
      'the token count state',
      () => {
        const current = ctx.service(tokenCounter).stateOf(document);
        return current && current.status !== 'pending' && current;
      },
      45_000,
    );
    assert.equal(state.status, 'failed');
    assert.match(
      state.status === 'failed' ? state.detail : '',
      /more than 1,000,000 characters.*not counted as you type/,
    );
  });
});
