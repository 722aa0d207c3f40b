// Prompt tests in VS Code's Test Explorer: the controller and its run profiles are created at
// activation (cheap); finding, parsing and running tests load the feature bundle on first use.
import * as vscode from 'vscode';
import type { Ctx, ServiceKey } from '../../ctx';

export const TEST_CONTROLLER_ID = 'promptLens.tests';

export interface PromptTestsHandle {
  controller: vscode.TestController;
  run: vscode.TestRunProfile;
  explain: vscode.TestRunProfile;
}

export function registerPromptTests(ctx: Ctx): PromptTestsHandle {
  const controller = ctx.own(vscode.tests.createTestController(TEST_CONTROLLER_ID, 'Prompt Lens'));
  controller.resolveHandler = (item) => ctx.features().resolvePromptTests(ctx, controller, item);
  controller.refreshHandler = (token) => ctx.features().refreshPromptTests(ctx, controller, token);
  const handler = (explain: boolean) => (request: vscode.TestRunRequest, token: vscode.CancellationToken) =>
    ctx.features().runPromptTestRequest(ctx, controller, request, token, explain);
  const run = ctx.own(
    controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, handler(false), true),
  );
  const explain = ctx.own(
    controller.createRunProfile(
      'Run and explain failures',
      vscode.TestRunProfileKind.Run,
      handler(true),
      false,
    ),
  );
  const handle = { controller, run, explain };
  ctx.own(
    vscode.commands.registerCommand('promptLens.runTests', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) return;
      await ctx.features().runPromptTestsOfFile(ctx, handle, target);
    }),
  );
  return handle;
}

/** The controller and its profiles, created once per context (the integration tests reach them here). */
export const promptTests: ServiceKey<PromptTestsHandle> = {
  name: 'promptTests',
  create: registerPromptTests,
};
