import * as vscode from 'vscode';
import { HEAT_SCALE } from '../../core/explain/heat';
import { escapeMarkdown, STEP_KEYS } from '../../core/explain/hoverText';
import { COMMAND } from '../../ids';

/** What the explanation's status item says, for the item itself and for tests. */
export interface ExplanationStatusState {
  uri: string;
  label: string;
  tokenCount: number;
  stale: boolean;
}

/**
 * The explanation's status item: shown only while the explained document is the active editor,
 * with the scale and the stepping keys in its tooltip; a click offers what can be done next.
 */
export class ExplanationStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'promptLens.explanation',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscription: vscode.Disposable;
  private current: ExplanationStatusState | undefined;

  constructor() {
    this.item.name = 'Prompt Lens Explanation';
    this.item.command = COMMAND.explanationActions;
    this.subscription = vscode.window.onDidChangeActiveTextEditor(() => this.updateVisibility());
  }

  get state(): (ExplanationStatusState & { visible: boolean; text: string; tooltip: string }) | undefined {
    if (!this.current) return undefined;
    const tooltip = this.item.tooltip;
    return {
      ...this.current,
      visible: this.isForActiveEditor(),
      text: this.item.text,
      tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
    };
  }

  set(state: ExplanationStatusState | undefined): void {
    this.current = state;
    if (state) {
      const keys = state.tokenCount > 0 ? ` · ${STEP_KEYS}` : '';
      this.item.text = `$(flame) ${state.stale ? 'stale: ' : ''}${state.label}${keys}`;
      this.item.tooltip = new vscode.MarkdownString(tooltipText(state));
      this.item.backgroundColor = state.stale
        ? new vscode.ThemeColor('statusBarItem.warningBackground')
        : undefined;
    }
    this.updateVisibility();
  }

  private isForActiveEditor(): boolean {
    return (
      this.current !== undefined &&
      vscode.window.activeTextEditor?.document.uri.toString() === this.current.uri
    );
  }

  private updateVisibility(): void {
    if (this.isForActiveEditor()) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

export function tooltipText(state: ExplanationStatusState): string {
  const lines = [`**Prompt Lens explanation**: ${escapeMarkdown(state.label)}`, '', HEAT_SCALE];
  if (state.stale)
    lines.push(
      '',
      '**Stale**: the prompt was edited after this explanation ran; its heat is dimmed (dotted underline). Run Explain Target again.',
    );
  if (state.tokenCount > 0)
    lines.push('', `${STEP_KEYS}: next / previous of the ${state.tokenCount} target tokens.`);
  lines.push('', 'Click for actions: step through tokens, explain again, clear.');
  return lines.join('\n');
}
