import * as vscode from 'vscode';
import { COMMAND, STATUS_BAR_ID } from './ids';
import { config } from './config';

/** What the status bar shows, for tests and for features that read it back. */
export interface StatusBarState {
  readonly text: string;
  readonly profile: string;
  readonly model: string | undefined;
  readonly tokens: number | undefined;
  readonly tokenNote: string;
}

/** Status bar item: profile · model · token count of the current prompt. Clicking selects the profile. */
export class PromptStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    STATUS_BAR_ID,
    vscode.StatusBarAlignment.Right,
    100,
  );
  private model: string | undefined;
  private tokens: number | undefined;
  private tokenNote = '';

  constructor() {
    this.item.name = 'Prompt Lens';
    this.item.command = COMMAND.selectProfile;
    this.render();
    this.item.show();
  }

  setModel(model: string | undefined): void {
    this.model = model;
    this.render();
  }

  /** `undefined` hides the count; `note` explains why there is none (e.g. the server is unreachable). */
  setTokenCount(tokens: number | undefined, note = ''): void {
    this.tokens = tokens;
    this.tokenNote = note;
    this.render();
  }

  get state(): StatusBarState {
    return {
      text: this.item.text,
      profile: profileLabel(),
      model: this.model,
      tokens: this.tokens,
      tokenNote: this.tokenNote,
    };
  }

  private render(): void {
    const profile = profileLabel();
    const parts = [profile];
    if (this.model) parts.push(this.model);
    if (this.tokens !== undefined) parts.push(`${this.tokens} token${this.tokens === 1 ? '' : 's'}`);
    this.item.text = `$(telescope) ${parts.join(' · ')}`;
    const tooltip = new vscode.MarkdownString(
      `**Prompt Lens**\n\nProfile: ${profile}${this.model ? `\n\nModel: ${this.model}` : ''}${this.tokenNote ? `\n\n${this.tokenNote}` : ''}\n\nClick to select a profile.`,
    );
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}

function profileLabel(): string {
  return config.activeProfile() || 'no profile';
}
