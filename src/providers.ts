import * as vscode from 'vscode';
import { PROMPT_LANGUAGE, VIEW } from './ids';
import { config } from './config';
import type { Ctx } from './ctx';
import { promptTests } from './features/testing/register';

/**
 * Registrations VS Code needs before any command runs. Each delegates to the feature bundle, which
 * is loaded only when there is work: an automatic inline request in a file where auto-trigger is off
 * returns at once without loading anything.
 */
export function registerProviders(ctx: Ctx, step: (name: string) => void = () => undefined): void {
  ctx.own(
    vscode.languages.registerInlineCompletionItemProvider(
      { pattern: '**' },
      {
        provideInlineCompletionItems(document, position, context, token) {
          const automatic = context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic;
          if (
            automatic &&
            !(document.languageId === PROMPT_LANGUAGE && config.inlineAutoTrigger()) &&
            !ctx.inlineRequest.pending
          )
            return undefined;
          return ctx.features().provideInlineCompletions(ctx, document, position, context, token);
        },
      },
    ),
  );

  step('inline provider');

  // CodeLens, diagnostics, token counts and hovers for `.prompt` files start with the first one seen.
  let promptFilesSupported = false;
  const onDocument = (document: vscode.TextDocument): void => {
    if (promptFilesSupported || document.languageId !== PROMPT_LANGUAGE) return;
    promptFilesSupported = true;
    // After activation returns: the first .prompt file is "first use", not part of activation.
    setTimeout(() => ctx.features().activatePromptFileSupport(ctx), 0);
  };
  ctx.own(vscode.workspace.onDidOpenTextDocument(onDocument));
  vscode.workspace.textDocuments.forEach(onDocument);

  step('open documents');
  ctx.service(promptTests);
  step('test controller');

  ctx.own(
    vscode.window.registerWebviewViewProvider(VIEW.panelView, {
      resolveWebviewView: (view) => ctx.features().resolvePanelView(ctx, view),
    }),
  );
  ctx.own(
    vscode.window.registerWebviewPanelSerializer(VIEW.panel, {
      deserializeWebviewPanel: (panel, state) => ctx.features().restorePanel(ctx, panel, state),
    }),
  );
  step('webview providers');
}
