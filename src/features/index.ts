// The lazily loaded half of the extension: loaded by Ctx.features() on first use. Everything here
// may import heavy modules (HTTP client, template engine, webview host).
export { newPromptFile } from './newPromptFile';
export { selectModel, selectProfile, setApiKey } from './profileCommands';
export { complete } from './complete';
export { completeInline, provideInlineCompletions } from './inlineCompletion';
export { evaluate } from './evaluate';
export { clearExplanation, explainTarget, nextTargetToken, previousTargetToken } from './explain/index';
export { activatePromptFileSupport } from './promptFileSupport';
export { hideTokens, showTokens } from './tokens';
export { noteCommandUsed } from './tokenCount';
export { openPanel, resolvePanelView, restorePanel } from './panel/index';
export {
  refreshPromptTests,
  registerTestsCodeLens,
  resolvePromptTests,
  runPromptTestRequest,
  runPromptTestsOfFile,
} from './testing/index';
