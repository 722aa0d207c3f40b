// Every id VS Code knows Prompt Lens by (contributed in package.json), in one place. Imported by the
// shell and the feature bundle alike: constants only, so it costs nothing at activation.

export const PROMPT_LANGUAGE = 'liquid-prompt';

/** Command ids: `promptLens.` and the name. */
export const COMMAND = {
  showLog: 'promptLens.showLog',
  setApiKey: 'promptLens.setApiKey',
  selectProfile: 'promptLens.selectProfile',
  complete: 'promptLens.complete',
  completeInline: 'promptLens.completeInline',
  evaluate: 'promptLens.evaluate',
  explain: 'promptLens.explain',
  showTokens: 'promptLens.showTokens',
  openPanel: 'promptLens.openPanel',
  /** Not in the palette: run by VS Code when ghost text is accepted. */
  inlineAccepted: 'promptLens.internal.inlineAccepted',
} as const;

/** Context keys for `when` clauses. */
export const CONTEXT_KEY = {
  explanationShown: 'promptLens.explanationShown',
  explanationHasTokens: 'promptLens.explanationHasTokens',
  tokensShown: 'promptLens.tokensShown',
} as const;

export const VIEW = {
  /** The panel as an editor tab (and its serializer). */
  panel: 'promptLens.panel',
  /** The panel as a view in the sidebar. */
  panelView: 'promptLens.panelView',
} as const;

export const STATUS_BAR_ID = 'promptLens.status';
export const PANEL_HISTORY_KEY = 'promptLens.panel.history';

export const THEME_COLOR = {
  generatedBackground: 'promptLens.generated.background',
  lowProbabilityUnderline: 'promptLens.lowProbability.underline',
} as const;
