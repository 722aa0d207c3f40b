/** What the token counter knows about the active editor when it decides whether to count. */
export interface CountSituation {
  isPromptFile: boolean;
  hasSelection: boolean;
  /** A Prompt Lens command ran in this window. */
  commandUsed: boolean;
  workspaceTrusted: boolean;
}

/**
 * Whether the active editor's prompt is counted as the user types. A `.prompt` file is counted on
 * its own only in a trusted workspace: in an untrusted one, a stranger's file is sent to the user's
 * server only after the user ran a Prompt Lens command. A selection is counted once a command ran.
 */
export function shouldCount(situation: CountSituation): boolean {
  if (!situation.commandUsed) return situation.isPromptFile && situation.workspaceTrusted;
  return situation.isPromptFile || situation.hasSelection;
}

/** The status bar's word when counting waits for the user (undefined: nothing to say). */
export function waitingReason(situation: CountSituation): string | undefined {
  return situation.isPromptFile && !shouldCount(situation)
    ? 'Tokens are not counted on their own in an untrusted workspace: run any Prompt Lens command (e.g. Count Tokens) to start.'
    : undefined;
}
