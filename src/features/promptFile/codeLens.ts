import * as vscode from 'vscode';
import { COMMAND } from '../../ids';
import { config } from '../../config';
import type { Ctx } from '../../ctx';
import { PROMPT_LANGUAGE } from '../common/promptSource';
import { tokenCounter, type TokenCountState } from '../tokens/index';

const ACTIONS: { title: string; command: string; tooltip: string }[] = [
  {
    title: 'Complete',
    command: COMMAND.complete,
    tooltip: 'Send the rendered prompt and show the completion in the panel',
  },
  { title: 'Evaluate', command: COMMAND.evaluate, tooltip: 'Score the expected completion of this prompt' },
  {
    title: 'Explain',
    command: COMMAND.explain,
    tooltip: 'Show which parts of the prompt the target depends on',
  },
];

/** The token-count lens: its title, tooltip and what clicking it does. */
export function tokenLensCommand(state: TokenCountState | undefined): vscode.Command {
  switch (state?.status) {
    case 'counted': {
      const what = state.selection ? 'of the selection' : 'of the rendered prompt';
      return {
        title: `${state.tokens} token${state.tokens === 1 ? '' : 's'}${state.selection ? ' (selection)' : ''}`,
        command: COMMAND.showTokens,
        tooltip: `${state.tokens} tokens ${what}, counted by profile "${state.profile}". Click to show the tokens.`,
      };
    }
    case 'unreachable':
      return {
        title: 'tokens: server unreachable',
        command: COMMAND.selectProfile,
        tooltip: `Tokens are counted by the server of the active profile, which did not answer (${state.detail}). Start the server, or click to select another profile.`,
      };
    case 'template-errors':
      return {
        title: 'tokens: fix the template first',
        command: 'workbench.actions.view.problems',
        tooltip: `${state.detail}. Click to show the problems.`,
      };
    case 'failed':
      return {
        title: 'tokens: not counted',
        command: COMMAND.showLog,
        tooltip: `${state.detail} Click to show the log.`,
      };
    default:
      return { title: '… tokens', command: '', tooltip: 'Counting the tokens of the rendered prompt…' };
  }
}

/** `Complete | Evaluate | Explain | N tokens` on the first line of every `.prompt` file. */
class PromptCodeLensProvider implements vscode.CodeLensProvider {
  constructor(
    private readonly ctx: Ctx,
    readonly onDidChangeCodeLenses: vscode.Event<void>,
  ) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = ACTIONS.map(
      ({ title, command, tooltip }) => new vscode.CodeLens(top, { title, command, tooltip }),
    );
    if (config.tokenCountEnabled())
      lenses.push(
        new vscode.CodeLens(top, tokenLensCommand(this.ctx.service(tokenCounter).stateOf(document))),
      );
    return lenses;
  }
}

export function registerCodeLens(ctx: Ctx): void {
  const changed = ctx.own(new vscode.EventEmitter<void>());
  ctx.own(ctx.service(tokenCounter).onDidChange(() => changed.fire()));
  ctx.own(
    ctx.settings.onDidChange((change) => {
      if (change.affects('promptLens.tokenCount.enabled')) changed.fire();
    }),
  );
  ctx.own(
    vscode.languages.registerCodeLensProvider(
      { language: PROMPT_LANGUAGE },
      new PromptCodeLensProvider(ctx, changed.event),
    ),
  );
}
