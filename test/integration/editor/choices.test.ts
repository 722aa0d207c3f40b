// Several completions in one reply (`n` > 1): Complete and Complete Inline never mix them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import { startAlephAlphaServer, type AlephAlphaServer } from '../../fixtures/alephAlpha';
import { generate, tokenizeText } from '../../fixtures/openai/model';
import { MODEL_ID, startOpenAiServer, type OpenAiTestServer } from '../../fixtures/openai/server';
import {
  captureMessages,
  closeAllEditors,
  extensionCtx,
  openWorkspaceFile,
  useProfile,
  useProfileWithKey,
  waitFor,
} from '../helpers';

const ALEPH_TOKEN = 'aleph-choices-token';

/** The OpenAI test server's `n` completions of a prompt: choice i starts with the (i+1)-th likeliest token. */
function openAiChoices(prompt: string, maxTokens: number, n: number): string[] {
  return Array.from({ length: n }, (_, rank) =>
    generate(tokenizeText(prompt), maxTokens, [], rank).tokens.join(''),
  );
}

/** What the Aleph Alpha test server answers to the same request, not streamed: every completion's text. */
async function alephCompletions(server: AlephAlphaServer, body: Record<string, unknown>): Promise<string[]> {
  const response = await fetch(`${server.url}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALEPH_TOKEN}` },
    body: JSON.stringify({ ...body, stream: false }),
  });
  const reply = (await response.json()) as { completions: { completion: string }[] };
  return reply.completions.map((completion) => completion.completion);
}

function lastCompleteBody(server: AlephAlphaServer): Record<string, unknown> {
  const request = [...server.requests].reverse().find((r) => r.endpoint === 'complete');
  assert.ok(request, 'a /complete request was sent');
  return request.body as Record<string, unknown>;
}

function itemTexts(list: vscode.InlineCompletionList | undefined): string[] {
  return (list?.items ?? []).map((item) =>
    typeof item.insertText === 'string' ? item.insertText : item.insertText.value,
  );
}

describe('editor: several completions in one reply (n > 1)', () => {
  let ctx: Ctx;
  let openai: OpenAiTestServer;
  let aleph: AlephAlphaServer;
  let restore: (() => Promise<void>) | undefined;

  before(async () => {
    ctx = await extensionCtx();
    openai = await startOpenAiServer({ echo: 'ignore' });
    aleph = await startAlephAlphaServer({ token: ALEPH_TOKEN });
  });

  after(async () => {
    await closeAllEditors();
    await openai.close();
    await aleph.close();
  });

  afterEach(async () => {
    await restore?.();
    restore = undefined;
    await closeAllEditors();
  });

  const useOpenAi = async (): Promise<void> => {
    restore = await useProfile(
      { name: 'openai (choices)', kind: 'openai', url: `${openai.url}/v1`, model: MODEL_ID },
      { 'completion.temperature': 0 },
    );
  };
  const useAlephProfile = (): Promise<() => Promise<void>> =>
    useProfileWithKey(
      { name: 'aleph (choices)', kind: 'aleph-alpha', url: aleph.url, model: 'luminous-base' },
      ALEPH_TOKEN,
    );

  const lastOpenAiPrompt = (): string => {
    const request = [...openai.requests].reverse().find((r) => r.path === '/v1/completions');
    return String((request?.body as Record<string, unknown>).prompt);
  };

  /** The completion text of the newest run in the panel (Complete on a `.prompt` file shows it there). */
  async function panelCompletion(): Promise<string | undefined> {
    const host = (await extensionCtx()).service<{
      panelSession?: { history: { list(): { completion?: { text: string } }[] } };
    }>({
      name: 'panel',
      create: () => {
        throw new Error('the panel was not opened');
      },
    });
    return host.panelSession?.history.list()[0]?.completion?.text;
  }

  it('Complete on a .prompt file shows exactly the first of two interleaved streams in the panel, and leaves the template alone', async () => {
    await useOpenAi();
    const editor = await openWorkspaceFile('choices/two.prompt');
    const before = editor.document.getText();
    await vscode.commands.executeCommand('promptLens.complete');
    const [first, second] = openAiChoices(lastOpenAiPrompt(), 6, 2);
    assert.ok(first && second && first !== second, 'the two completions differ');
    const request = [...openai.requests].reverse().find((r) => r.path === '/v1/completions')?.body as Record<
      string,
      unknown
    >;
    assert.equal(request.n, 2);
    assert.equal(request.stream, true, 'n alone still streams');
    assert.equal(editor.document.getText(), before, 'nothing is written into the template');
    assert.equal(await panelCompletion(), first, 'exactly the first completion, nothing of the second');
  });

  it('Complete Inline offers each completion as its own suggestion, and cycling accepts exactly the second', async () => {
    await useOpenAi();
    const editor = await openWorkspaceFile('choices/two.prompt');
    const end = editor.document.positionAt(editor.document.getText().length);
    editor.selection = new vscode.Selection(end, end);
    const provide = async (): Promise<string[]> =>
      itemTexts(
        await ctx
          .features()
          .provideInlineCompletions(
            ctx,
            editor.document,
            end,
            { triggerKind: vscode.InlineCompletionTriggerKind.Invoke, selectedCompletionInfo: undefined },
            new vscode.CancellationTokenSource().token,
          ),
      );
    let expected: string[] = [];
    await waitFor(async () => {
      const texts = await provide();
      expected = openAiChoices(lastOpenAiPrompt(), 6, 2);
      for (const [i, text] of texts.entries())
        assert.ok(
          expected[i]?.startsWith(text),
          `suggestion ${i + 1} ${JSON.stringify(text)} is a prefix of completion ${i + 1} only`,
        );
      return texts.length === 2 && texts[0] === expected[0] && texts[1] === expected[1];
    }, 'one suggestion per completion');

    // In the real editor: show the suggestions, cycle to the next one, accept it. The widget shows
    // asynchronously: when nothing was accepted yet (a busy machine), try again with more patience.
    const before = editor.document.getText();
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    for (let attempt = 1; attempt <= 3 && editor.document.getText() === before; attempt++) {
      await vscode.commands.executeCommand('promptLens.completeInline');
      await pause(300 * attempt);
      await vscode.commands.executeCommand('editor.action.inlineSuggest.showNext');
      await pause(300 * attempt);
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      await waitFor(
        () => editor.document.getText() !== before,
        'the suggestion to be accepted',
        1000 * attempt,
      ).catch(() => undefined);
    }
    assert.equal(editor.document.getText(), before + expected[1], 'exactly the second completion');
  });

  it('Aleph Alpha: the first completion of a stream that sends them one after the other', async () => {
    restore = await useAlephProfile();
    const infos = captureMessages('information');
    try {
      const editor = await openWorkspaceFile('choices/aleph-two.prompt');
      const before = editor.document.getText();
      await vscode.commands.executeCommand('promptLens.complete');
      const body = lastCompleteBody(aleph);
      assert.equal(body.stream, true);
      const [first, second] = await alephCompletions(aleph, body);
      assert.ok(first && second && first !== second, 'the two completions differ');
      assert.equal(editor.document.getText(), before, 'the template stays as it is');
      assert.equal(await panelCompletion(), first, 'the first completion only');
    } finally {
      infos.restore();
    }
  });

  it('Aleph Alpha: best_of is sent without streaming (it cannot be streamed), and its one completion inserted', async () => {
    restore = await useAlephProfile();
    const errors = captureMessages('error');
    try {
      const editor = await openWorkspaceFile('choices/aleph-best-of.prompt');
      const before = editor.document.getText();
      await vscode.commands.executeCommand('promptLens.complete');
      assert.deepEqual(errors.shown, []);
      const body = lastCompleteBody(aleph);
      assert.equal(body.best_of, 3);
      assert.notEqual(body.stream, true);
      const [best] = await alephCompletions(aleph, body);
      assert.ok(best);
      assert.equal(editor.document.getText(), before, 'the template stays as it is');
      assert.equal(await panelCompletion(), best);
    } finally {
      errors.restore();
    }
  });
});
