import * as vscode from 'vscode';
import { isCancellation, PromptLensError } from '../../core/errors';
import { DEMO_PROFILE_NAME, SIMULATED_NOTE } from '../../core/profile';
import type { Ctx } from '../../ctx';
import { withErrorContext, type ErrorContext } from '../../errorReporting';
import { backendRegistry } from '../common/backends';
import { TokenPlacer } from '../../core/completion/tokenPlacer';
import { completionDeltas, completionRequest } from '../../core/useCases/index';
import { runInPanel } from '../panel/index';
import { isPromptFile, readPromptSource, type PromptSource } from '../common/promptSource';
import { withCancellableProgress } from '../common/progress';
import { completionDefaults } from '../common/requestOptions';
import { CompletionChoices } from './choices';
import { generatedTokens } from './generatedTokens';
import { otherCompletions } from './otherCompletions';
import { StreamInserter, withDocumentEol } from './streamInserter';

/**
 * "Prompt Lens: Complete": streams the completion into the document after the prompt (after the
 * selection, else at the end), under a cancellable progress notification. The insertion point follows
 * edits made meanwhile; if it cannot (an edit where the text goes), the rest is kept, not misplaced.
 * A `.prompt` file is a template, not a conversation: its completion is shown beside it, in the panel,
 * and the template stays as it is.
 */
export async function complete(ctx: Ctx): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor)
    throw new PromptLensError(
      'bad-request',
      'Open a document first: Complete continues the selection, or the whole document.',
    );
  const { document, selection } = editor;
  if (selection.isEmpty && isPromptFile(document)) {
    const run = await runInPanel(ctx, document, 'complete');
    if (run.completion)
      ctx.log.info(
        `completion of ${run.fileName}: ${run.completion.text.length} characters, shown in the panel`,
      );
    return;
  }
  // Follow edits from now on: the prompt is read (and a template rendered) asynchronously.
  const anchor = selection.isEmpty ? document.getText().length : document.offsetAt(selection.end);
  await completeAt(ctx, document, anchor, () => readPromptSource(ctx, editor));
}

/**
 * One Complete: the prompt read by `readSource`, its completion streamed in at `anchor`. Everything
 * that talks to the server (the capability check too) runs under the progress, so Cancel is there
 * from the first moment. A failure says what was kept of the text, and carries a Retry that sends the
 * same prompt again at the place the text went (see `retryContext`).
 */
async function completeAt(
  ctx: Ctx,
  document: vscode.TextDocument,
  anchor: number,
  readSource: () => Promise<PromptSource>,
): Promise<void> {
  const memory = ctx.service(generatedTokens);
  // With `n` > 1 the server interleaves several completions: only the first goes into the document.
  const choices = new CompletionChoices(() => new TokenPlacer((text) => withDocumentEol(document, text)));
  const placer = choices.first.placer;
  let generatedBy: string | undefined;
  let inserted = '';
  const inserter = new StreamInserter(document, anchor, (chunk) => {
    inserted += chunk.text;
    memory.add(
      document,
      placer
        .pieces(chunk.completionOffset, chunk.text.length, chunk.documentOffset)
        .map((piece) => ({ ...piece, ...(generatedBy !== undefined && { source: generatedBy }) })),
    );
  });
  let source: PromptSource | undefined;
  let handedOver = false;
  try {
    source = await readSource();
    const registry = ctx.service(backendRegistry);
    const { profile, backend, model } = await registry.connect(
      source.settings?.backend,
      source.settings?.model,
    );
    generatedBy = profile.name;
    const prompt = source;
    await withCancellableProgress(
      `Prompt Lens: completing with ${profile.name}`,
      async (signal, progress) => {
        progress.report({ message: `waiting for ${profile.name}…` });
        let tokenCount = 0;
        let failure: unknown;
        try {
          const capabilities = await registry.capabilities(profile, backend, signal);
          const request = completionRequest(
            prompt.prompt,
            model,
            prompt.settings,
            completionDefaults(),
            signal,
          );
          for await (const delta of completionDeltas(backend, capabilities.stream, request)) {
            choices.add(delta);
            if (delta.index !== choices.first.index) continue;
            inserter.push(delta.text);
            tokenCount += Math.max(delta.tokens.length, delta.text ? 1 : 0);
            progress.report({ message: `${tokenCount} token${tokenCount === 1 ? '' : 's'}` });
          }
        } catch (error) {
          failure = error;
        }
        const rest = await inserter.end();
        const { length } = inserter.region;
        if (inserter.detachedReason) reportDetached(ctx, inserter.detachedReason, rest);
        if (failure !== undefined && (isCancellation(failure) || signal.aborted)) {
          ctx.log.info(`completion cancelled after ${length} characters; what was inserted stays`);
          vscode.window.setStatusBarMessage(
            length > 0
              ? `Prompt Lens: completion cancelled. ${keptNote(length, 'the Cancel')}`
              : 'Prompt Lens: completion cancelled before any text came; nothing was inserted.',
            8000,
          );
          return;
        }
        if (failure !== undefined) {
          if (length > 0)
            ctx.log.warn(
              `completion failed after ${length} characters were inserted; they stay in the document`,
            );
          throw failure;
        }
        ctx.log.info(
          `completion: ${tokenCount} tokens, ${placer.completionText.length} characters from ${profile.name}`,
        );
        if (profile.name === DEMO_PROFILE_NAME)
          vscode.window.setStatusBarMessage(`$(beaker) ${SIMULATED_NOTE}`, 8000);
        if (!inserter.detachedReason)
          ctx.service(otherCompletions).offer(document, inserter.region, choices.first, choices.withText());
      },
    );
  } catch (error) {
    // The inserter keeps following edits until the report is closed: Retry needs the place as it is then.
    handedOver = true;
    throw withErrorContext(error, retryContext(ctx, document, inserter, inserted, source));
  } finally {
    if (!handedOver) inserter.dispose();
  }
}

/** What a stream that stopped midway left in the document, said the same way everywhere. */
export function keptNote(length: number, stoppedBy: string): string {
  const them = length === 1 ? 'it' : 'them';
  return `Kept the ${length} character${length === 1 ? '' : 's'} received before ${stoppedBy}; Undo removes ${them}.`;
}

/**
 * How a failed Complete is tried again without duplicating or losing text: the same prompt is sent
 * again and its completion goes where this one went. Text this run inserted is replaced only while it
 * is exactly as inserted; once edited (or left where it could not be followed) it is the user's, and
 * Retry is not offered.
 */
function retryContext(
  ctx: Ctx,
  document: vscode.TextDocument,
  inserter: StreamInserter,
  inserted: string,
  source: PromptSource | undefined,
): ErrorContext {
  const dispose = (): void => inserter.dispose();
  const { length } = inserter.region;
  const kept = length > 0 ? keptNote(length, 'the server stopped') : undefined;
  if (source === undefined || inserter.detachedReason)
    return {
      dispose,
      ...(kept !== undefined && { note: kept }),
      ...(source !== undefined && { noRetry: true }),
    };
  const prompt = source;
  const retry = async (): Promise<void> => {
    if (document.isClosed)
      throw new PromptLensError('bad-request', 'The document was closed: run Complete again in another one.');
    const { start } = inserter.region;
    const range = new vscode.Range(document.positionAt(start), document.positionAt(start + length));
    if (inserter.detachedReason || document.getText(range) !== inserted) {
      vscode.window.setStatusBarMessage(
        'Prompt Lens: the kept text was edited, so Retry leaves it; run Complete again where you want the text.',
        8000,
      );
      return;
    }
    inserter.dispose();
    if (length > 0) {
      const edit = new vscode.WorkspaceEdit();
      edit.delete(document.uri, range);
      if (!(await vscode.workspace.applyEdit(edit))) return;
    }
    ctx.log.info(
      `completion: sending the same prompt again${length > 0 ? `, replacing the ${length} characters kept` : ''}`,
    );
    await completeAt(ctx, document, start, () => Promise.resolve(prompt));
  };
  return {
    retry,
    dispose,
    ...(kept !== undefined && { note: kept, retryNote: `Retry replaces ${length === 1 ? 'it' : 'them'}.` }),
  };
}

/** The rest of a completion that could not be inserted: logged and offered, never dropped silently. */
function reportDetached(ctx: Ctx, reason: string, rest: string): void {
  ctx.log.warn(`completion stopped inserting: ${reason}. The rest of the completion:\n${rest}`);
  if (!rest) return;
  const copy = 'Copy the Rest';
  void vscode.window
    .showWarningMessage(
      `Prompt Lens: stopped inserting the completion because ${reason}. The rest (${rest.length} characters) is in the log.`,
      copy,
      'Show Log',
    )
    .then(async (choice) => {
      if (choice === copy) await vscode.env.clipboard.writeText(rest);
      if (choice === 'Show Log') ctx.log.show();
    });
}
