import * as vscode from 'vscode';
import { THEME_COLOR } from '../../ids';
import { config, type SettingsEvents } from '../../config';
import type { GeneratedTokens } from './generatedTokens';

/** The subtle background of generated text, and the optional underline of unlikely tokens. */
export class GeneratedDecorations implements vscode.Disposable {
  private readonly background = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor(THEME_COLOR.generatedBackground),
  });
  private readonly lowProbability = vscode.window.createTextEditorDecorationType({
    borderStyle: 'none none dotted none',
    borderWidth: '0 0 2px 0',
    borderColor: new vscode.ThemeColor(THEME_COLOR.lowProbabilityUnderline),
  });
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly memory: GeneratedTokens,
    settings: SettingsEvents,
  ) {
    this.subscriptions = [
      memory.onDidChange((uri) =>
        vscode.window.visibleTextEditors
          .filter((e) => e.document.uri.toString() === uri.toString())
          .forEach((e) => this.paint(e)),
      ),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.paint(e))),
      settings.onDidChange((change) => {
        if (change.affects('promptLens.hover'))
          vscode.window.visibleTextEditors.forEach((e) => this.paint(e));
      }),
    ];
    vscode.window.visibleTextEditors.forEach((e) => this.paint(e));
  }

  private paint(editor: vscode.TextEditor): void {
    const { document } = editor;
    const pieces = this.memory.pieces(document.uri);
    const range = (start: number, end: number): vscode.Range =>
      new vscode.Range(document.positionAt(start), document.positionAt(end));
    editor.setDecorations(
      this.background,
      pieces.map((p) => range(p.start, p.end)),
    );
    const threshold = config.lowProbabilityThreshold();
    const unlikely = config.underlineLowProbability()
      ? pieces.filter(
          (p) =>
            p.token?.logprob !== null &&
            p.token?.logprob !== undefined &&
            Math.exp(p.token.logprob) < threshold,
        )
      : [];
    editor.setDecorations(
      this.lowProbability,
      unlikely.map((p) => range(p.start, p.end)),
    );
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.background.dispose();
    this.lowProbability.dispose();
  }
}
