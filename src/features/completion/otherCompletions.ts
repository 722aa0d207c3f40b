import * as vscode from 'vscode';
import type { Ctx, ServiceKey } from '../../ctx';
import { generatedTokens } from './generatedTokens';
import type { Choice } from './choices';
import { regionEffect } from '../../core/completion/regionEdits';

const PREVIEW_CHARACTERS = 160;

interface Offer {
  document: vscode.TextDocument;
  /** Every completion of the reply, by index; `current` is the one in the document. */
  choices: Choice[];
  current: Choice;
  /** Where `current` sits, followed through edits; undefined once an edit touched it. */
  region: { start: number; length: number } | undefined;
  /** Set while our own edit swaps a completion in, so that edit does not count as the user's. */
  swapping: boolean;
}

/**
 * Complete inserts one completion (the first) even when the server sent several (`n` > 1): this says
 * so, and lets the user swap another one in where the first was inserted (one undo step), or, when
 * that text has been edited meanwhile, copy it. One offer per document: the latest Complete's.
 */
export class OtherCompletions implements vscode.Disposable {
  private readonly offers = new Map<string, Offer>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly ctx: Ctx) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => this.onEdit(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.offers.delete(document.uri.toString())),
    ];
  }

  /** `current` was inserted at [start, start + length) of `document`; `choices` holds it and the others. */
  offer(
    document: vscode.TextDocument,
    region: { start: number; length: number },
    current: Choice,
    choices: Choice[],
  ): void {
    if (choices.length < 2) return;
    const offer: Offer = { document, choices, current, region, swapping: false };
    this.offers.set(document.uri.toString(), offer);
    this.ctx.log.info(
      `completion: the server sent ${choices.length} completions; completion ${current.index + 1} is in the document, the others are offered`,
    );
    this.announce(
      offer,
      `Prompt Lens: the server sent ${choices.length} completions; the first one is in the document.`,
    );
  }

  private announce(offer: Offer, message: string): void {
    const others = offer.choices.length - 1;
    const show = `Show the Other ${others}`;
    void vscode.window
      .showInformationMessage(message, show)
      .then((answer) => (answer === show ? this.pick(offer) : undefined));
  }

  private async pick(offer: Offer): Promise<void> {
    const items = offer.choices
      .filter((choice) => choice !== offer.current)
      .map((choice) => ({
        label: `Completion ${choice.index + 1}`,
        description: `${choice.placer.completionText.length} characters${choice.finishReason ? `, finished: ${choice.finishReason}` : ''}`,
        detail: preview(choice.placer.completionText),
        choice,
      }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `Prompt Lens: put another completion in place of completion ${offer.current.index + 1}`,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (picked) await this.swapIn(offer, picked.choice);
  }

  private async swapIn(offer: Offer, choice: Choice): Promise<void> {
    const { document, region } = offer;
    const text = choice.placer.completionText;
    const range =
      region &&
      new vscode.Range(document.positionAt(region.start), document.positionAt(region.start + region.length));
    const intact =
      range !== undefined &&
      !document.isClosed &&
      document.getText(range) === offer.current.placer.completionText;
    let swapped = false;
    if (intact && region) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, range, text);
      offer.swapping = true;
      try {
        swapped = await vscode.workspace.applyEdit(edit);
      } finally {
        offer.swapping = false;
      }
      if (swapped) {
        offer.current = choice;
        offer.region = { start: region.start, length: text.length };
        this.ctx.service(generatedTokens).add(document, choice.placer.pieces(0, text.length, region.start));
        this.announce(
          offer,
          `Prompt Lens: completion ${choice.index + 1} of ${offer.choices.length} is in the document now.`,
        );
        return;
      }
    }
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(
      `Prompt Lens: the inserted completion was edited meanwhile, so completion ${choice.index + 1} was copied to the clipboard instead.`,
    );
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    const offer = this.offers.get(event.document.uri.toString());
    if (!offer?.region || offer.swapping || event.contentChanges.length === 0) return;
    const { start, length } = offer.region;
    const effect = regionEffect(start, start + length, event.contentChanges, false);
    offer.region = effect.kind === 'conflict' ? undefined : { start: start + effect.by, length };
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.offers.clear();
  }
}

/** One line of the completion for the picker: whitespace runs shown as single spaces, cut at the preview length. */
function preview(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > PREVIEW_CHARACTERS ? `${line.slice(0, PREVIEW_CHARACTERS - 1)}…` : line;
}

export const otherCompletions: ServiceKey<OtherCompletions> = {
  name: 'otherCompletions',
  create: (ctx) => new OtherCompletions(ctx),
};
