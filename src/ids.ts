// Every id VS Code knows Prompt Lens by (contributed in package.json), in one place. Const enums:
// the bundler inlines each id where it is used, so the activation bundle carries only those it uses.

export const PROMPT_LANGUAGE = 'liquid-prompt';

/** Command ids (`promptLens.` and the name; `commands.ts` registers every one). */
export const enum COMMAND {
  showLog = 'promptLens.showLog',
  setApiKey = 'promptLens.setApiKey',
  selectProfile = 'promptLens.selectProfile',
  useLlamaCppKind = 'promptLens.useLlamaCppKind',
  complete = 'promptLens.complete',
  completeInline = 'promptLens.completeInline',
  evaluate = 'promptLens.evaluate',
  explain = 'promptLens.explain',
  showTokens = 'promptLens.showTokens',
  openPanel = 'promptLens.openPanel',
  /** Not in the palette: run by VS Code when ghost text is accepted. */
  inlineAccepted = 'promptLens.internal.inlineAccepted',
}

/** Context keys for `when` clauses. */
export const enum CONTEXT_KEY {
  explanationShown = 'promptLens.explanationShown',
  explanationHasTokens = 'promptLens.explanationHasTokens',
  tokensShown = 'promptLens.tokensShown',
}

export const enum VIEW {
  /** The panel as an editor tab (and its serializer). */
  panel = 'promptLens.panel',
  /** The panel as a view in the sidebar. */
  panelView = 'promptLens.panelView',
}

export const enum THEME_COLOR {
  generatedBackground = 'promptLens.generated.background',
  lowProbabilityUnderline = 'promptLens.lowProbability.underline',
}

export const STATUS_BAR_ID = 'promptLens.status';
export const PANEL_HISTORY_KEY = 'promptLens.panel.history';
