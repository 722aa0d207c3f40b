import * as vscode from 'vscode';

export const WALKTHROUGH_ID = 'prompt-lens.prompt-lens#promptLens.gettingStarted';
const SHOWN_KEY = 'promptLens.walkthroughShown';

/**
 * Opens "Get Started with Prompt Lens" once, on the first activation. VS Code does this itself for
 * extensions installed from its UI; this covers a VSIX installed from the command line (`npm start`).
 * Respects VS Code's own switch, `workbench.welcomePage.walkthroughs.openOnInstall`.
 */
export function greetFirstRun(context: vscode.ExtensionContext): void {
  if (context.globalState.get<boolean>(SHOWN_KEY)) return;
  void context.globalState.update(SHOWN_KEY, true);
  const wanted = vscode.workspace
    .getConfiguration('workbench.welcomePage')
    .get<boolean>('walkthroughs.openOnInstall', true);
  if (!wanted) return;
  void vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false).then(
    undefined,
    () => undefined, // an editor without walkthroughs: nothing to greet with
  );
}
