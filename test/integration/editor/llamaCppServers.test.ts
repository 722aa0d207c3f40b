// llama.cpp servers of other generations and forms, in the real VS Code: an OpenAI-compatible profile
// on a February-2025 llama.cpp server is offered the llama.cpp kind and then evaluates; a hosted
// server under a path prefix keeps its session cookie until "Clear Cookies".
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp';
import { evaluationStore } from '../../../src/features/evaluation/evaluationStore';
import {
  captureMessages,
  closeAllEditors,
  extensionCtx,
  openUntitled,
  stubWindow,
  useProfile,
  waitFor,
} from '../helpers';

describe('editor: llama.cpp server generations and the hosted form', function () {
  this.timeout(60_000);
  let server: LlamaCppServerHandle;
  let restore: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await restore?.();
    restore = undefined;
    await closeAllEditors();
    await server.close();
  });

  it('an OpenAI-compatible profile on llama.cpp: one request, the offer of the llama.cpp kind, then a score', async () => {
    server = await startLlamaCppServer({ generation: '2025-02' });
    restore = await useProfile({ name: 'feb (openai)', kind: 'openai', url: `${server.url}/v1` });
    await openUntitled('The cat sat on the');
    const restoreInput = stubWindow('showInputBox', (() => Promise.resolve(' mat')) as never);
    const errors = captureMessages('error', (m) => m.items.find((item) => item === 'Use llama.cpp Kind'));
    const infos = captureMessages('information');
    try {
      await vscode.commands.executeCommand('promptLens.evaluate');
      const [error] = errors.shown;
      assert.ok(error, 'an error was shown');
      assert.match(error.message, /refuses `echo`/);
      assert.ok(error.items.includes('Use llama.cpp Kind'), error.items.join(', '));
      assert.equal(server.requests.filter((r) => r.path === '/v1/completions').length, 1, 'not retried');
      const profiles = vscode.workspace
        .getConfiguration('promptLens')
        .get<{ kind: string; url: string }[]>('profiles');
      assert.deepEqual(
        profiles?.map((p) => [p.kind, p.url]),
        [['llama-cpp', server.url]],
      );
      await vscode.commands.executeCommand('promptLens.evaluate');
      // The result stays in the details beside the prompt, which say how it was scored.
      const details = await vscode.workspace.openTextDocument(
        (await extensionCtx()).service(evaluationStore).detailsUri,
      );
      await waitFor(
        () => /scored with string-grammar-bias/.test(details.getText()),
        'the details of this evaluation, saying how it was scored',
      );
    } finally {
      restoreInput();
      errors.restore();
      infos.restore();
    }
  });

  it('a hosted server under a path prefix: the session cookie is kept, and cleared by the command', async () => {
    server = await startLlamaCppServer({ hosted: { pathPrefix: '/vm/abc123' } });
    restore = await useProfile({ name: 'hosted', kind: 'llama-cpp', url: server.url });
    await openUntitled('The cat sat on the');
    const restoreInput = stubWindow('showInputBox', (() => Promise.resolve(' mat')) as never);
    const infos = captureMessages('information');
    const errors = captureMessages('error');
    try {
      await vscode.commands.executeCommand('promptLens.evaluate');
      assert.deepEqual(errors.shown, []);
      const posts = server.requests.filter((r) => r.method === 'POST');
      assert.ok(posts.length > 0 && posts.every((r) => String(r.headers.cookie).startsWith('vm_session=')));
      await vscode.commands.executeCommand('promptLens.clearCookies');
      assert.ok(
        infos.shown.some((m) => /cleared 1 cookie/.test(m.message)),
        infos.shown.map((m) => m.message).join('\n'),
      );
    } finally {
      restoreInput();
      infos.restore();
      errors.restore();
    }
  });
});
