import * as vscode from 'vscode';
import { COMMAND, STATUS_BAR_ID } from './ids';
import { config } from './config';
import type { ServerStatus } from './core/useCases/profile';

/** What the status bar shows, for tests and for features that read it back. */
export interface StatusBarState {
  readonly text: string;
  /** The server of the active document: the profile's name, and who picked it. */
  readonly profile: string;
  /** The tooltip's sentence about that server. */
  readonly serverDetail: string;
  readonly model: string | undefined;
  readonly tokens: number | undefined;
  readonly tokenNote: string;
}

/**
 * Status bar item: the server of the active document (the file's `backend:` or the active profile)
 * · model · token count of the current prompt. Clicking selects the profile.
 */
export class PromptStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    STATUS_BAR_ID,
    vscode.StatusBarAlignment.Right,
    100,
  );
  private model: string | undefined;
  private tokens: number | undefined;
  private tokenNote = '';
  /** Set for a `.prompt` document (see features/profiles/serverStatus.ts); else the active profile. */
  private server: ServerStatus | undefined;

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

  /** The server of the active document; `undefined`: the active profile's name. */
  setServer(server: ServerStatus | undefined): void {
    if (JSON.stringify(server) === JSON.stringify(this.server)) return;
    this.server = server;
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
      profile: this.server?.text ?? profileLabel(),
      serverDetail: this.server?.detail ?? '',
      model: this.model,
      tokens: this.tokens,
      tokenNote: this.tokenNote,
    };
  }

  private render(): void {
    const profile = this.server?.text ?? profileLabel();
    const parts = [profile];
    if (this.model) parts.push(this.model);
    if (this.tokens !== undefined) parts.push(`${this.tokens} token${this.tokens === 1 ? '' : 's'}`);
    const icon = this.server?.warning ? '$(warning)' : '$(telescope)';
    this.item.text = `${icon} ${parts.join(' · ')}`;
    const server = this.server ? `\n\n${this.server.detail}` : '';
    const tooltip = new vscode.MarkdownString(
      `**Prompt Lens**\n\nProfile: ${profile}${server}${this.model ? `\n\nModel: ${this.model}` : ''}${this.tokenNote ? `\n\n${this.tokenNote}` : ''}\n\nClick to select a profile.`,
    );
    this.item.tooltip = tooltip;
    this.item.backgroundColor = this.server?.warning
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

function profileLabel(): string {
  return config.activeProfile() || 'no profile';
}
