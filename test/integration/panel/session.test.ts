// The host side of the panel's protocol, inside a real extension host: messages validated, front
// matter edits applied through WorkspaceEdits, runs against test servers, history bounded.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptLensApi } from '../../../src/extension';
import type { Ctx } from '../../../src/ctx';
import { PanelHistory } from '../../../src/features/panel/history';
import { PanelSession, type PanelLog } from '../../../src/features/panel/session';
import { storeToken } from '../../../src/features/common/secrets';
import type { Run } from '../../../src/webview/protocol';
import { startAlephAlphaServer, type AlephAlphaServer } from '../../fixtures/alephAlpha/index';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp/index';
import { MemoryMemento } from '../helpers';
import { RecordingWebview } from './recordingWebview';

const EXTENSION_ID = 'prompt-lens.prompt-lens';

class RecordingLog implements PanelLog {
  readonly lines: string[] = [];
  info = (message: string): void => void this.lines.push(`info ${message}`);
  warn = (message: string): void => void this.lines.push(`warn ${message}`);
  error = (message: string): void => void this.lines.push(`error ${message}`);
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function openFixture(name: string): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'panel', name));
  await vscode.window.showTextDocument(document);
  return document;
}

describe('panel host', function () {
  this.timeout(60_000);
  let ctx: Ctx;
  let llama: LlamaCppServerHandle;
  let aleph: AlephAlphaServer;
  const config = () => vscode.workspace.getConfiguration('promptLens');
  let savedProfiles: unknown;
  let savedActive: unknown;

  before(async () => {
    const extension = vscode.extensions.getExtension<PromptLensApi>(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    ctx = extension.exports.ctx as Ctx;
    llama = await startLlamaCppServer();
    aleph = await startAlephAlphaServer();
    savedProfiles = config().inspect('profiles')?.globalValue;
    savedActive = config().inspect('activeProfile')?.globalValue;
    await config().update(
      'profiles',
      [
        { name: 'panel llama', kind: 'llama-cpp', url: llama.url },
        { name: 'panel aleph', kind: 'aleph-alpha', url: aleph.url, model: 'luminous-base' },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('activeProfile', 'panel llama', vscode.ConfigurationTarget.Global);
    await storeToken(ctx, { name: 'panel aleph', kind: 'aleph-alpha', url: aleph.url }, 'test-token');
  });

  after(async () => {
    await config().update('profiles', savedProfiles, vscode.ConfigurationTarget.Global);
    await config().update('activeProfile', savedActive, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await llama.close();
    await aleph.close();
  });

  function session(
    document: vscode.TextDocument,
    history = new PanelHistory(new MemoryMemento()),
  ): { webview: RecordingWebview; log: RecordingLog; session: PanelSession } {
    const webview = new RecordingWebview();
    const log = new RecordingLog();
    const s = new PanelSession(ctx, webview.webview, { log, history, document });
    return { webview, log, session: s };
  }

  it('answers ready with the profiles, the history and the prompt form', async () => {
    const document = await openFixture('params.prompt');
    const { webview, session: s } = session(document);
    await s.receive({ type: 'ready' });
    const profiles = webview.of('profiles/changed')[0];
    assert.deepEqual(
      profiles?.profiles.map((p) => p.name),
      ['panel llama', 'panel aleph'],
    );
    assert.equal(profiles?.active, 'panel llama');
    assert.deepEqual(webview.of('history/changed')[0]?.runs, []);
    const state = webview.of('prompt/changed')[0]?.state;
    assert.ok(state);
    assert.equal(state.fileName, 'params.prompt');
    assert.deepEqual(
      state.params.map((p) => [p.key, p.value]),
      [
        ['maximum_tokens', 8],
        ['temperature', 0.5],
      ],
    );
    assert.deepEqual(
      state.vars.map((v) => [v.key, v.display]),
      [
        ['animal', 'otter'],
        ['count', '2'],
      ],
    );
    assert.equal(state.target, ' hold hands');
    s.dispose();
  });

  it('shows the prompt again when a file it includes changes on disk', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const part = vscode.Uri.joinPath(folder.uri, 'panel', 'later-part.liquid');
    await vscode.workspace.fs.delete(part).then(undefined, () => undefined);
    const prompt = vscode.Uri.joinPath(folder.uri, 'panel', 'includes.prompt');
    await vscode.workspace.fs.writeFile(prompt, Buffer.from('Before {% include "later-part" %} after'));
    const document = await vscode.workspace.openTextDocument(prompt);
    await vscode.window.showTextDocument(document);
    const { webview, session: s } = session(document);
    await s.receive({ type: 'ready' });
    const missing = webview.of('prompt/changed')[0]?.state.problems ?? [];
    assert.equal(missing.length, 1, 'the missing include is a problem');
    await vscode.workspace.fs.writeFile(part, Buffer.from('the later part'));
    await until(
      () => webview.of('prompt/changed').find((m) => m.state.problems.length === 0),
      'the prompt shown again, without the problem',
    );
    assert.equal(document.version, 1, 'the prompt itself was not edited');
    s.dispose();
  });

  it('rejects malformed messages, logs them, and keeps working', async () => {
    const document = await openFixture('params.prompt');
    const { webview, log, session: s } = session(document);
    const bad: unknown[] = [
      undefined,
      42,
      'ready',
      { type: 'run/start' },
      { type: 'frontMatter/set', path: ['tests', 'x'], value: 1 },
      { type: 'frontMatter/set', path: ['params', 'x'], value: { a: 1 } },
      { type: '__proto__' },
    ];
    for (const message of bad) await s.receive(message);
    assert.equal(
      log.lines.filter((line) => line.startsWith('warn panel: rejected')).length,
      bad.length,
      log.lines.join('\n'),
    );
    assert.equal(webview.posted.length, 0, 'nothing is answered to a rejected message');
    assert.equal(document.isDirty, false, 'nothing was edited');
    await s.receive({ type: 'ready' });
    assert.ok(webview.of('prompt/changed').length === 1);
    s.dispose();
  });

  it('edits one parameter value through a WorkspaceEdit, keeping comments and layout', async () => {
    const document = await openFixture('params.prompt');
    const before = document.getText();
    const { webview, session: s } = session(document);
    await s.receive({ type: 'frontMatter/set', path: ['params', 'maximum_tokens'], value: 32 });
    await s.receive({ type: 'frontMatter/set', path: ['vars', 'animal'], value: "sea 'otter'" });
    await s.receive({ type: 'frontMatter/set', path: ['params', 'top_k'], value: 5 });
    await s.receive({ type: 'frontMatter/set', path: ['model'], value: 'tiny' });
    assert.equal(webview.of('notice').length, 0, JSON.stringify(webview.of('notice')));
    const expected = before
      .replace('maximum_tokens: 8   # keep it short', 'maximum_tokens: 32   # keep it short')
      .replace("animal: 'otter'  # default animal", "animal: 'sea ''otter'''  # default animal")
      .replace('  temperature: 0.5\n', '  temperature: 0.5\n  top_k: 5\n')
      .replace('model: luminous-base   # the model', 'model: tiny   # the model');
    assert.equal(document.getText(), expected);
    // One undo step per edit, like a user's typing.
    await vscode.commands.executeCommand('undo');
    assert.match(document.getText(), /model: luminous-base {3}# the model/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(document.getText(), before);
    s.dispose();
  });

  it('quotes multi-line strings, and refuses to edit a front matter with YAML errors (notice, no change)', async () => {
    const document = await openFixture('params.prompt');
    const before = document.getText();
    const { webview, log, session: s } = session(document);
    await s.receive({ type: 'frontMatter/set', path: ['params', 'maximum_tokens'], value: 'many\nlines' });
    // A multi-line string is written quoted, which is safe: check it read back.
    assert.equal(webview.of('notice').length, 0);
    assert.match(document.getText(), /maximum_tokens: "many\\nlines" {3}# keep it short/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    const broken = before.replace('  temperature: 0.5\n', '  temperature: [0.5\n');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      document.uri,
      new vscode.Range(document.positionAt(0), document.positionAt(before.length)),
      broken,
    );
    await vscode.workspace.applyEdit(edit);
    await s.receive({ type: 'frontMatter/set', path: ['params', 'maximum_tokens'], value: 3 });
    assert.match(webview.of('notice')[0]?.message ?? '', /YAML errors/);
    assert.ok(log.lines.some((line) => line.startsWith('error panel: frontMatter/set failed')));
    assert.equal(document.getText(), broken);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    s.dispose();
  });

  it('completes, evaluates and tokenizes on llama.cpp; each run lands in the history', async () => {
    const document = await openFixture('llama.prompt');
    const { webview, session: s } = session(document);
    await s.receive({ type: 'run/start', action: 'complete', vars: { animal: 'beaver' } });
    const completed = await until(() => webview.of('run/finished')[0]?.run, 'the completion');
    assert.equal(completed.error, undefined, JSON.stringify(completed.error));
    assert.ok(completed.completion && completed.completion.tokens.length > 0);
    assert.equal(completed.completion.tokens.map((t) => t.text).join(''), completed.completion.text);
    assert.ok(completed.completion.tokens.every((t) => typeof t.logprob === 'number'));
    assert.match(completed.promptText, /about the beaver\./, 'the typed variable is used');
    assert.equal(document.isDirty, false, 'variables are not written to the file');
    const sent = llama.requests.filter((r) => r.path === '/completion').pop();
    assert.ok(JSON.stringify(sent?.body).includes('beaver'));

    await s.receive({ type: 'run/start', action: 'evaluate', vars: {} });
    const evaluated = await until(() => webview.of('run/finished')[1]?.run, 'the evaluation');
    assert.equal(evaluated.error, undefined, JSON.stringify(evaluated.error));
    assert.equal(evaluated.evaluation?.expected, ' They hold hands.');
    const logP = evaluated.evaluation?.metrics.find((m) => m.name === 'log probability')?.value;
    assert.equal(typeof logP, 'number');
    assert.ok((logP as number) < 0);

    await s.receive({ type: 'run/start', action: 'tokenize', vars: {} });
    const tokenized = await until(() => webview.of('run/finished')[2]?.run, 'the tokens');
    assert.ok(tokenized.tokens && tokenized.tokens.length > 3);
    assert.equal(
      tokenized.tokens
        .map((t) => t.text)
        .join('')
        .trim(),
      tokenized.promptText.trim(),
    );

    const history = webview.of('history/changed').pop()?.runs ?? [];
    assert.deepEqual(
      history.map((r) => r.action),
      ['tokenize', 'evaluate', 'complete'],
    );
    assert.deepEqual(
      s.history.list().map((r) => r.id),
      history.map((r) => r.id),
    );
    s.dispose();
  });

  it('keeps every completion of an n > 1 reply: the first with its tokens, the others as text', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const uri = vscode.Uri.joinPath(folder.uri, 'panel', 'several.prompt');
    const source = '---\nparams:\n  maximum_tokens: 5\n  temperature: 0\n  n: 3\n---\nThe cat sat on the';
    await vscode.workspace.fs.writeFile(uri, Buffer.from(source));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const { webview, session: s } = session(document);
    await s.receive({ type: 'run/start', action: 'complete', profile: 'panel aleph', vars: {} });
    const run = await until(() => webview.of('run/finished')[0]?.run, 'the completion');
    assert.equal(run.error, undefined, JSON.stringify(run.error));
    const completion = run.completion;
    assert.ok(completion && completion.text.length > 0);
    assert.equal(
      (aleph.requests.filter((r) => r.endpoint === 'complete').pop()?.body as { n?: number }).n,
      3,
    );
    // Greedy (temperature 0): the toy model writes the same text three times.
    assert.deepEqual(completion.others, [
      { index: 1, text: completion.text, finishReason: completion.finishReason },
      { index: 2, text: completion.text, finishReason: completion.finishReason },
    ]);
    s.dispose();
    await vscode.workspace.fs.delete(uri);
  });

  it('explains on Aleph Alpha with per-token targets mapped onto the prompt text', async () => {
    const document = await openFixture('aleph.prompt');
    const { webview, session: s } = session(document);
    await s.receive({ type: 'run/start', action: 'explain', profile: 'panel aleph', vars: {} });
    const run = await until(() => webview.of('run/finished')[0]?.run, 'the explanation');
    assert.equal(run.error, undefined, JSON.stringify(run.error));
    assert.equal(run.profile, 'panel aleph');
    const explanation = run.explanation;
    assert.ok(explanation);
    assert.equal(explanation.target, ' hold hands');
    assert.ok(explanation.targets.length >= 2, 'one explanation per target token');
    assert.equal(explanation.targets.map((t) => t.target).join(''), ' hold hands');
    for (const target of explanation.targets) {
      assert.ok(target.spans.length > 0);
      for (const span of target.spans)
        assert.ok(span.start >= 0 && span.start + span.length <= run.promptText.length);
    }
    const request = aleph.requests.find((r) => r.endpoint === 'explain');
    assert.equal((request?.body as { target_granularity?: string }).target_granularity, 'token');
    s.dispose();
  });

  it('explains an image prompt: the image kept as a data URL, its tiles scored per target token', async () => {
    const document = await openFixture('image.prompt');
    const { webview, session: s } = session(document);
    await s.receive({ type: 'run/start', action: 'explain', profile: 'panel aleph', vars: {} });
    const run = await until(() => webview.of('run/finished')[0]?.run, 'the image explanation');
    assert.equal(run.error, undefined, JSON.stringify(run.error));
    assert.equal(run.images.length, 1);
    assert.equal(run.images[0]?.at, 0, 'the image comes first in the prompt');
    assert.match(run.images[0]?.src ?? '', /^data:image\/png;base64,iVBOR/);
    const first = run.explanation?.targets[0];
    assert.ok(first);
    assert.equal(first.images.length, 1);
    assert.equal(first.images[0]?.image, 0);
    const tiles = first.images[0]?.tiles ?? [];
    assert.ok(tiles.length > 1, `${tiles.length} tiles`);
    for (const tile of tiles) {
      const { left, top, width, height } = tile.rect;
      assert.ok(
        left >= 0 && top >= 0 && left + width <= 1 + 1e-9 && top + height <= 1 + 1e-9,
        JSON.stringify(tile.rect),
      );
    }
    assert.ok(
      first.spans.every(
        (span) => run.promptText.slice(span.start, span.start + span.length).trim().length > 0,
      ),
      'text spans land on the text',
    );
    s.dispose();
  });

  it('shows the typed error of an explanation the backend cannot give, without storing it', async () => {
    const document = await openFixture('llama.prompt');
    const { webview, session: s } = session(document);
    await s.receive({ type: 'run/start', action: 'explain', vars: {} });
    const run = await until(() => webview.of('run/finished')[0]?.run, 'the explain outcome');
    if (run.error) {
      // Until occlusion lands for llama.cpp: the core's typed error, shown in the panel.
      assert.equal(run.error.kind, 'unsupported');
      assert.equal(s.history.list().length, 0);
    } else {
      assert.ok(run.explanation && run.explanation.targets.length > 0);
    }
    s.dispose();
  });

  it('keeps the history bounded in count and size, newest first', async () => {
    const memento = new MemoryMemento();
    const history = new PanelHistory(memento, { maxRuns: 5, maxChars: 3_300 });
    const make = (i: number, size = 10): Run => ({
      id: `r${i}`,
      time: i,
      action: 'complete',
      fileName: 'f',
      profile: 'p',
      promptText: 'x'.repeat(size),
      images: [],
      params: {},
      vars: {},
    });
    for (let i = 0; i < 8; i++) await history.add(make(i));
    assert.deepEqual(
      history.list().map((r) => r.id),
      ['r7', 'r6', 'r5', 'r4', 'r3'],
    );
    await history.add(make(8, 1_500));
    await history.add(make(9, 1_500));
    const ids = history.list().map((r) => r.id);
    assert.deepEqual(ids, ['r9', 'r8'], 'the oldest runs go when the size cap is reached');
    assert.ok(JSON.stringify(memento.get('promptLens.panel.history')).length <= 3_300);
    // A damaged entry in storage is skipped, not fatal.
    await memento.update('promptLens.panel.history', [make(1), { id: 3 }, 'junk']);
    assert.deepEqual(
      history.list().map((r) => r.id),
      ['r1'],
    );
  });

  it('opens the panel from the command and restores nothing twice', async () => {
    await openFixture('params.prompt');
    await vscode.commands.executeCommand('promptLens.openPanel');
    const host = ctx.service({ name: 'panel', create: () => undefined as never }) as {
      panel?: vscode.WebviewPanel;
      sessions: Set<PanelSession>;
    };
    assert.ok(host.panel, 'a panel was created');
    assert.equal(host.panel.viewType, 'promptLens.panel');
    assert.match(host.panel.webview.html, /default-src 'none'/);
    assert.match(
      host.panel.webview.html,
      /<script nonce="[A-Za-z0-9+/=]{24}" src="[^"]+dist\/webview\.js"><\/script>/,
    );
    assert.doesNotMatch(host.panel.webview.html, /https?:\/\/(?!.*vscode-cdn)/, 'nothing remote');
    const first = host.panel;
    await vscode.commands.executeCommand('promptLens.openPanel');
    assert.equal(host.panel, first, 'the second call reveals the same panel');
    first.dispose();
    assert.equal(host.panel, undefined);
  });
});
