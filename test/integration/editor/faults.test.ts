// Faults in the real VS Code: a server that fails mid-stream and echoes the API token into its error
// surfaces as a clear error; the editor text is intact; the token is in no notification, no log
// file, no panel run and no saved panel history.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import { PanelHistory } from '../../../src/features/panel/history';
import { PanelSession } from '../../../src/features/panel/session';
import { RecordingWebview } from '../panel/recordingWebview';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp';
import type { RawFault } from '../../fixtures/rawReply';
import {
  MemoryMemento,
  captureMessages,
  closeAllEditors,
  extensionCtx,
  openUntitled,
  useProfileWithKey,
  waitFor,
} from '../helpers';

const TOKEN = 'sk-INTEGRATION-7d1e0c2b9a8f6e5d';
const PROMPT = 'Once upon a time the cat';
const PROFILE = 'llama (faults)';

/** A stream that starts, then fails with the Authorization header in its error, as an old llama.cpp does. */
const echoMidStream: RawFault = (request) => ({
  status: 200,
  headers: { 'content-type': 'text/event-stream' },
  body: `error: ${JSON.stringify({ content: `slot failed for ${String(request.headers.authorization)}` })}\n\n`,
});
/** A 400 with the token in every field of its JSON body and in its headers. */
const echoStatus: RawFault = (request) => {
  const auth = String(request.headers.authorization);
  return {
    status: 400,
    headers: { 'content-type': 'application/json', 'x-echo': auth },
    body: JSON.stringify({ error: { code: 400, message: `bad request from ${auth}`, type: auth } }),
  };
};

/** Every file under `dir` (bounded), as text. */
function filesUnder(dir: string, depth = 4): { file: string; text: string }[] {
  if (depth < 0 || !fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full, depth - 1);
    if (!entry.isFile() || fs.statSync(full).size > 5_000_000) return [];
    return [{ file: full, text: fs.readFileSync(full, 'utf8') }];
  });
}

describe('editor: faults', function () {
  this.timeout(60_000);
  let ctx: Ctx;
  let server: LlamaCppServerHandle;
  let restore: () => Promise<void>;

  before(async () => {
    ctx = await extensionCtx();
    server = await startLlamaCppServer();
    restore = await useProfileWithKey({ name: PROFILE, kind: 'llama-cpp', url: server.url }, TOKEN, {
      'completion.maxTokens': 8,
    });
  });
  after(async () => {
    await closeAllEditors();
    await restore();
    await server.close();
  });

  it('a mid-stream error echoing the token: a clear error, the text intact, the token in no notification or log file', async () => {
    server.setFaults({ raw: [echoMidStream], paths: ['/completion'] });
    const editor = await openUntitled(PROMPT);
    const errors = captureMessages('error');
    try {
      await vscode.commands.executeCommand('promptLens.complete');
      await waitFor(() => errors.shown.length > 0, 'the error notification');
    } finally {
      errors.restore();
    }
    const shown = errors.shown[0]?.message ?? '';
    assert.match(shown, /llama\.cpp server failed during generation: slot failed for Bearer \[redacted\]/);
    assert.ok(!shown.includes(TOKEN));
    assert.equal(editor.document.getText(), PROMPT, 'the text is intact');
    const sent = server.requests.filter((r) => r.path === '/completion').pop();
    assert.equal(sent?.headers.authorization, `Bearer ${TOKEN}`, 'the server had the token to echo');

    // The log file of the output channel: find it by a marker, then look for the token in every log.
    const marker = `fault-suite-marker-${Date.now()}`;
    ctx.log.info(marker);
    const logs = path.dirname(ctx.extension.logUri.fsPath);
    await waitFor(() => filesUnder(logs).some((f) => f.text.includes(marker)), 'the log file', 20_000);
    const logText = filesUnder(logs)
      .map((f) => f.text)
      .join('\n');
    assert.match(logText, /failed during generation/, 'the failure was logged');
    const leaks = filesUnder(logs)
      .filter((f) => f.text.includes(TOKEN))
      .map((f) => f.file);
    assert.deepEqual(leaks, []);
  });

  it('panel runs failing with the token echoed: the run, the saved history and the panel log carry no token', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const document = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(folder.uri, 'panel', 'llama.prompt'),
    );
    await vscode.window.showTextDocument(document);
    const before = document.getText();
    const webview = new RecordingWebview();
    const { posted } = webview;
    const memento = new MemoryMemento();
    const lines: string[] = [];
    const log = {
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    };
    const session = new PanelSession(ctx, webview.webview, {
      log,
      history: new PanelHistory(memento),
      document,
    });
    for (const fault of [echoMidStream, echoStatus]) {
      server.setFaults({ raw: [fault, fault], paths: ['/completion'] });
      const count = posted.filter((m) => m.type === 'run/finished').length;
      await session.receive({ type: 'run/start', action: 'complete', vars: { animal: 'otter' } });
      await waitFor(
        () => posted.filter((m) => m.type === 'run/finished').length > count,
        'the failed run',
        20_000,
      );
    }
    const runs = posted.flatMap((m) => (m.type === 'run/finished' ? [m.run] : []));
    assert.equal(runs.length, 2);
    for (const run of runs) assert.match(run.error?.message ?? '', /\[redacted\]/, JSON.stringify(run.error));
    const everything = JSON.stringify({ posted, saved: [...memento.values], lines });
    assert.ok(everything.includes('[redacted]'));
    assert.ok(!everything.includes(TOKEN), 'no token in the panel, its history or its log');
    assert.equal(document.getText(), before, 'the prompt file is intact');
  });
});
