import * as vscode from 'vscode';
import { commandArgs, type CommandRun } from './commandRun';
import type { Ctx } from './ctx';

/** A command is a small factory: given the context, it returns the handler. */
type CommandFactory = (ctx: Ctx) => (...args: unknown[]) => unknown;

/** A command that works on a prompt: once one ran, a selection's tokens are counted in the status bar. */
const onPrompt =
  (run: (ctx: Ctx) => unknown): CommandFactory =>
  (ctx) =>
  () => {
    ctx.features().noteCommandUsed(ctx);
    return run(ctx);
  };

/** Every command of the extension, by the part of its id after `promptLens.`. */
export const commands: Record<string, CommandFactory> = {
  showLog: (ctx) => () => ctx.log.show(),
  newPromptFile: (ctx) => () => ctx.features().newPromptFile(),
  setApiKey: (ctx) => (profileName) => ctx.features().setApiKey(ctx, profileName),
  selectProfile: (ctx) => () => ctx.features().selectProfile(ctx),
  selectModel: (ctx) => () => ctx.features().selectModel(ctx),
  clearCookies: (ctx) => () => ctx.features().clearCookies(ctx),
  useLlamaCppKind: (ctx) => () => ctx.features().useLlamaCppKind(ctx),
  complete: onPrompt((ctx) => ctx.features().complete(ctx)),
  completeInline: onPrompt((ctx) => ctx.features().completeInline(ctx)),
  evaluate: onPrompt((ctx) => ctx.features().evaluate(ctx)),
  explain: onPrompt((ctx) => ctx.features().explainTarget(ctx)),
  nextTargetToken: (ctx) => () => ctx.features().nextTargetToken(ctx),
  previousTargetToken: (ctx) => () => ctx.features().previousTargetToken(ctx),
  clearExplanation: (ctx) => () => ctx.features().clearExplanation(ctx),
  explanationActions: (ctx) => () => ctx.features().explanationActions(ctx),
  showTokens: (ctx) => () => ctx.features().showTokens(ctx),
  hideTokens: (ctx) => () => ctx.features().hideTokens(ctx),
  openPanel: (ctx) => () => ctx.features().openPanel(ctx),
};

export function registerCommands(ctx: Ctx): void {
  for (const [name, factory] of Object.entries(commands)) {
    const handler = factory(ctx);
    const id = `promptLens.${name}`;
    ctx.own(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        const { run, rest } = commandArgs(args);
        try {
          return await ctx.runs.run(run, () => handler(...rest));
        } catch (error) {
          // Retry runs the command again as invoked, through VS Code so its own failures are reported too.
          await report(ctx, id, error, run, () => vscode.commands.executeCommand(id, ...args));
          return undefined;
        }
      }),
    );
  }
}

/** A failure is reported by the feature bundle (loaded by then); if even that cannot load, plainly. */
async function report(
  ctx: Ctx,
  id: string,
  error: unknown,
  run: CommandRun,
  rerun: () => unknown,
): Promise<void> {
  try {
    await ctx.features().reportError(ctx, id, error, run, rerun);
  } catch {
    ctx.log.error(`${id} failed: ${String(error)}`);
    void vscode.window.showErrorMessage(`Prompt Lens: ${String(error)}`);
  }
}
