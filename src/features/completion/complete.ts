import * as vscode from 'vscode';
import { isCancellation, PromptLensError } from '../../core/errors';
import type { Ctx } from '../../ctx';
import { backendRegistry } from '../shared/backends';
import { TokenPlacer } from '../../core/completion/tokenPlacer';
import { completionDeltas, completionRequest } from '../../core/useCases/index';
import { runInPanel } from '../panel/index';
import { isPromptFile, readPromptSource } from '../shared/promptSource';
import { withCancellableProgress } from '../shared/progress';
import { completionDefaults } from '../shared/requestOptions';
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
  const memory = ctx.service(generatedTokens);
  // With `n` > 1 the server interleaves several completions: only the first goes into the document.
  const choices = new CompletionChoices(() => new TokenPlacer((text) => withDocumentEol(document, text)));
  const placer = choices.first.placer;
  const inserter = new StreamInserter(document, anchor, (chunk) =>
    memory.add(document, placer.pieces(chunk.completionOffset, chunk.text.length, chunk.documentOffset)),
  );
  try {
    const source = await readPromptSource(ctx, editor);
    const registry = ctx.service(backendRegistry);
    const { profile, backend, model } = await registry.connect(
      source.settings?.backend,
      source.settings?.model,
    );
    const capabilities = await registry.capabilities(profile, backend);
    await withCancellableProgress(
      `Prompt Lens: completing with ${profile.name}`,
      async (signal, progress) => {
        const request = completionRequest(
          source.prompt,
          model,
          source.settings,
          completionDefaults(),
          signal,
        );
        let tokenCount = 0;
        let failure: unknown;
        try {
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
            `Prompt Lens: completion cancelled (${length} characters kept)`,
            5000,
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
        if (!inserter.detachedReason)
          ctx.service(otherCompletions).offer(document, inserter.region, choices.first, choices.withText());
      },
    );
  } finally {
    inserter.dispose();
  }
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
