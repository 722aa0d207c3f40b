// The lazily loaded half of the extension: loaded by Ctx.features() on first use. Everything here
// may import heavy modules (HTTP client, template engine, webview host). One folder per feature,
// each reached through its index.ts; common/ holds what several features use (connections, the
// prompt source, the render cache).
export { newPromptFile, activatePromptFileSupport } from './promptFile/index';
export { clearCookies, selectModel, selectProfile, setApiKey, useLlamaCppKind } from './profiles/index';
export { complete, completeInline, provideInlineCompletions } from './completion/index';
export { evaluate } from './evaluation/index';
export {
  clearExplanation,
  explainTarget,
  explanationActions,
  nextTargetToken,
  previousTargetToken,
} from './explain/index';
export { hideTokens, showTokens, noteCommandUsed } from './tokens/index';
export { openPanel, resolvePanelView, restorePanel } from './panel/index';
export {
  refreshPromptTests,
  registerTestsCodeLens,
  resolvePromptTests,
  runPromptTestRequest,
  runPromptTestsOfFile,
} from './testing/index';
export { SettingsEvents } from '../config';
export { reportError } from '../errorReporting';
