// The panel inside a real extension host: variables shown as they are and saved as defaults all or
// none; Expected, Target and variables typed for one file never run against another.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import { PanelHistory } from '../../../src/features/panel/history';
import { PanelSession } from '../../../src/features/panel/session';
import { renderTemplate } from '../../../src/features/common/promptSource';
import type { HostToWebview } from '../../../src/webview/protocol';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp/index';
import { closeAllEditors, extensionCtx, useProfile, waitFor } from '../helpers';
import { RecordingWebview } from './recordingWebview';

class MemoryMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

async function openPanelFixture(name: string): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'panel', name));
  await vscode.window.showTextDocument(document);
  return document;
}

describe('panel: variables and targets per file', function () {
  this.timeout(60_000);
  let ctx: Ctx;
  let llama: LlamaCppServerHandle;
  let restore: () => Promise<void>;

  before(async () => {
    ctx = await extensionCtx();
    llama = await startLlamaCppServer();
    restore = await useProfile({ name: 'per-file llama', kind: 'llama-cpp', url: llama.url });
  });

  after(async () => {
    await restore();
    await closeAllEditors();
    await llama.close();
  });

  function start(document: vscode.TextDocument): { webview: RecordingWebview; session: PanelSession } {
    const webview = new RecordingWebview();
    const session = new PanelSession(ctx, webview.webview, {
      history: new PanelHistory(new MemoryMemento()),
      document,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    return { webview, session };
  }

  it('sends each variable as it is: multi-line text exactly, a list read-only with its reason', async () => {
    const document = await openPanelFixture('vars.prompt');
    const { webview, session } = start(document);
    await session.receive({ type: 'ready' });
    const state = webview.of('prompt/changed')[0]?.state;
    assert.ok(state);
    assert.equal(state.uri, document.uri.toString());
    const byKey = new Map(state.vars.map((v) => [v.key, v]));
    assert.equal(
      byKey.get('notes')?.display,
      'Release 2.3 slips by one week.\nMaria takes over the migration.\n',
    );
    assert.equal(byKey.get('notes')?.multiline, true);
    assert.equal(byKey.get('notes')?.editable, true);
    assert.equal(byKey.get('count')?.display, '3');
    assert.equal(byKey.get('items')?.editable, false);
    assert.match(byKey.get('items')?.reason ?? '', /list/);
    session.dispose();
  });

  it('saves nothing when one variable cannot be written faithfully, and names it with why', async () => {
    const document = await openPanelFixture('vars.prompt');
    const before = document.getText();
    const { webview, session } = start(document);
    await session.receive({
      type: 'vars/save',
      uri: document.uri.toString(),
      values: { audience: 'engineers', notes: 'One line.\n  Indented.\n', count: 'several', items: 'a, b' },
    });
    const notice = webview.of('notice')[0];
    assert.equal(notice?.level, 'error');
    assert.match(notice?.message ?? '', /Nothing was saved/);
    assert.match(notice?.message ?? '', /`count`: the default is a number/);
    assert.match(notice?.message ?? '', /`items`: a list/);
    assert.doesNotMatch(notice?.message ?? '', /`audience`|`notes`/);
    assert.equal(document.getText(), before, 'not one variable was written');
    assert.equal(document.isDirty, false);
    assert.equal(webview.of('vars/saved').length, 0);
    session.dispose();
  });

  it('saves every variable in one edit, multi-line text as a block scalar read back exactly', async () => {
    const document = await openPanelFixture('vars.prompt');
    const before = document.getText();
    const { webview, session } = start(document);
    const notes = 'One line.\n  Indented, with a trailing space \n\tand a tab.\n\n';
    await session.receive({
      type: 'vars/save',
      uri: document.uri.toString(),
      values: { audience: 'engineers', notes, count: '4' },
    });
    assert.equal(webview.of('notice').at(-1)?.level, 'info', JSON.stringify(webview.of('notice')));
    assert.deepEqual(webview.of('vars/saved')[0]?.saved.sort(), ['audience', 'count', 'notes']);
    // The saved values reach the form before it stops showing them as typed.
    const savedAt = webview.posted.findIndex((m) => m.type === 'vars/saved');
    const stateBefore = webview.posted
      .slice(0, savedAt)
      .filter((m): m is Extract<HostToWebview, { type: 'prompt/changed' }> => m.type === 'prompt/changed')
      .at(-1);
    assert.equal(stateBefore?.state.vars.find((v) => v.key === 'notes')?.display, notes);
    const settings = (await renderTemplate(ctx, document)).settings;
    assert.equal(settings.vars['notes'], notes);
    assert.equal(settings.vars['audience'], 'engineers');
    assert.equal(settings.vars['count'], 4);
    assert.deepEqual(settings.vars['items'], ['design', 'review']);
    assert.match(document.getText(), /# Variables of every shape/, 'the comment stays');
    // One undo step takes all of it back.
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    session.dispose();
  });

  it('never runs values typed for one file against another, and shows each file its own targets', async () => {
    const first = await openPanelFixture('llama.prompt');
    const second = await openPanelFixture('params.prompt');
    const { webview, session } = start(first);
    await session.receive({ type: 'ready' });
    const firstState = webview.of('prompt/changed').at(-1)?.state;
    assert.equal(firstState?.target, ' hold hands');
    session.follow(second);
    await waitFor(
      () => webview.of('prompt/changed').at(-1)?.state.uri === second.uri.toString(),
      'the second file in the form',
    );
    const secondState = webview.of('prompt/changed').at(-1)?.state;
    assert.equal(secondState?.expected, ' They hold hands while they sleep.');

    // A run the form started for the first file arrives after the switch: refused, nothing sent.
    const requestsBefore = llama.requests.length;
    await session.receive({
      type: 'run/start',
      action: 'evaluate',
      uri: first.uri.toString(),
      vars: {},
      expected: ' typed for the first file',
    });
    assert.match(webview.of('notice').at(-1)?.message ?? '', /now shows params\.prompt/);
    assert.equal(webview.of('run/started').length, 0);
    assert.equal(llama.requests.length, requestsBefore, 'no request reached the server');

    // The same run for the file shown goes through, with that file's values.
    await session.receive({ type: 'run/start', action: 'tokenize', uri: second.uri.toString(), vars: {} });
    await waitFor(() => webview.of('run/finished').length > 0, 'the run');
    const run = webview.of('run/finished')[0]?.run;
    assert.equal(run?.error, undefined, JSON.stringify(run?.error));
    assert.equal(run?.fileName, 'params.prompt');
    session.dispose();
  });
});
