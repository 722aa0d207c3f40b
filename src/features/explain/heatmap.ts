import * as vscode from 'vscode';
import { PerDocumentMemory } from '../../core/useCases/index';
import { CONTEXT_KEY } from '../../ids';
import { HEAT_STEPS, heatRanks, heatSteps } from '../../core/explain/heat';
import { groupScores, variableTotals, type HeatLayout } from '../../core/explain/heatLayout';
import type { HeatView } from '../../core/explain/heatModel';
import {
  applyTextChanges,
  changesReachSpans,
  createSpanSet,
  spanAt,
  type SpanSet,
  type TextChange,
} from '../../core/explain/spanTracking';
import type { Ctx, ServiceKey } from '../../ctx';
import { toTextChanges } from './changeRecorder';
import { hoverMarkdown, viewLabel } from '../../core/explain/hoverText';
import { ExplanationStatusItem, type ExplanationStatusState } from './statusItem';

export interface HeatmapInput {
  document: vscode.TextDocument;
  /** Where the layout's offsets are; edits since then are replayed before painting. */
  edits: readonly TextChange[];
  layout: HeatLayout;
  target: string;
  complete: HeatView;
  tokens: HeatView[];
}

/** Scores of one view, per group, with what painting and hovering need. */
interface ViewHeat {
  view: HeatView;
  scores: (number | undefined)[];
  steps: number[];
  ranks: number[];
  rankedOf: number;
  totals: Map<string, number>;
}

interface Shown {
  input: HeatmapInput;
  spans: SpanSet;
  /** -1: the complete target; otherwise an index into `input.tokens`. */
  viewIndex: number;
  heat: ViewHeat;
  /** The prompt was edited after the explanation ran: the heat is dimmed and labelled. */
  stale: boolean;
}

/** What a test or a colleague's tool may read of the heat map. */
export interface HeatmapSnapshot {
  uri: string;
  label: string;
  viewIndex: number;
  tokenCount: number;
  stale: boolean;
  spans: {
    start: number;
    end: number;
    text: string;
    score: number;
    step: number;
    rank: number;
    variables: string[];
  }[];
}

/** Quiet time after an edit before the decorations are set again from the tracked spans. */
const RESYNC_DELAY_MS = 150;

const STEP_COLORS = [
  ...Array.from({ length: HEAT_STEPS }, (_, i) => ({
    step: -(i + 1),
    color: `promptLens.heat.negative${i + 1}`,
  })),
  ...Array.from({ length: HEAT_STEPS }, (_, i) => ({
    step: i + 1,
    color: `promptLens.heat.positive${i + 1}`,
  })),
];

/**
 * The explanation heat map: one explanation at a time, painted on every editor of its document,
 * kept on the scored text through edits (spans shift; a span whose text is edited is dropped).
 */
export class HeatmapController implements vscode.Disposable {
  private readonly types = new Map<number, vscode.TextEditorDecorationType>();
  /** The same steps once stale: no fill, a dotted underline in the step's color. */
  private readonly staleTypes = new Map<number, vscode.TextEditorDecorationType>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private shown: Shown | undefined;
  private readonly status = new ExplanationStatusItem();
  private paintTimer: ReturnType<typeof setTimeout> | undefined;
  /** The target last explained per document (by URI), offered again in that document's input box only. */
  readonly lastTargets = new PerDocumentMemory();

  constructor(private readonly ctx: Ctx) {
    for (const { step, color } of STEP_COLORS) {
      this.types.set(
        step,
        vscode.window.createTextEditorDecorationType({
          backgroundColor: new vscode.ThemeColor(color),
          borderRadius: '2px',
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      );
      this.staleTypes.set(
        step,
        vscode.window.createTextEditorDecorationType({
          borderColor: new vscode.ThemeColor(color),
          borderStyle: 'none none dotted none',
          borderWidth: '0 0 2px 0',
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      );
    }
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((event) => this.onEdit(event)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document === this.shown?.input.document) this.clear();
        // A new untitled document may get a closed one's name: it must not inherit its target.
        if (document.isUntitled) this.lastTargets.delete(document.uri.toString());
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.paint()),
      vscode.languages.registerHoverProvider(
        { pattern: '**' },
        { provideHover: (document, position) => this.hover(document, position) },
      ),
    );
  }

  get isShown(): boolean {
    return this.shown !== undefined;
  }

  show(input: HeatmapInput): void {
    const spans = createSpanSet(
      input.layout.groups.flatMap((group, index) => group.ranges.map((r) => ({ ...r, group: index }))),
    );
    const { spans: current } = applyTextChanges(spans, input.edits);
    this.shown = {
      input,
      spans: current,
      viewIndex: -1,
      heat: heatOf(input.layout, input.complete),
      stale: changesReachSpans(spans, input.edits),
    };
    this.lastTargets.set(input.document.uri.toString(), input.target);
    if (current.starts.length === 0) {
      this.clear();
      void vscode.window.showInformationMessage(
        'Prompt Lens: the explained text was edited while the explanation ran; run Explain Target again.',
      );
      return;
    }
    this.paint();
    this.announce();
    void this.setContext();
  }

  /** Steps to the next (+1) or previous (-1) target token; the complete target sits before the first token. */
  step(direction: 1 | -1): void {
    const shown = this.shown;
    if (!shown || shown.input.tokens.length === 0) return;
    const count = shown.input.tokens.length + 1;
    const position = (((shown.viewIndex + 1 + direction) % count) + count) % count;
    shown.viewIndex = position - 1;
    const view =
      shown.viewIndex < 0 ? shown.input.complete : (shown.input.tokens[shown.viewIndex] as HeatView);
    shown.heat = heatOf(shown.input.layout, view);
    this.paint();
    this.announce();
  }

  clear(): void {
    this.shown = undefined;
    this.paint();
    this.status.set(undefined);
    void this.setContext();
  }

  snapshot(): HeatmapSnapshot | undefined {
    const shown = this.shown;
    if (!shown) return undefined;
    const { document } = shown.input;
    const { starts, ends, groups } = shown.spans;
    const spans: HeatmapSnapshot['spans'] = [];
    for (let i = 0; i < starts.length; i++) {
      const group = groups[i] as number;
      const score = shown.heat.scores[group];
      const step = shown.heat.steps[group] ?? 0;
      if (score === undefined) continue; // uncoloured spans (step 0) are listed too
      const start = starts[i] as number;
      const end = ends[i] as number;
      const text = document.getText(new vscode.Range(document.positionAt(start), document.positionAt(end)));
      const variables = shown.input.layout.groups[group]?.variables ?? [];
      spans.push({ start, end, text, score, step, rank: shown.heat.ranks[group] ?? 0, variables });
    }
    return {
      uri: document.uri.toString(),
      label: this.label(shown),
      viewIndex: shown.viewIndex,
      tokenCount: shown.input.tokens.length,
      stale: shown.stale,
      spans,
    };
  }

  private label(shown: Shown): string {
    return viewLabel(shown.input.target, shown.heat.view, shown.input.tokens.length);
  }

  /** What the explanation's status item shows (undefined when none is shown). */
  get statusState(): ExplanationStatusItem['state'] {
    return this.status.state;
  }

  private announce(): void {
    const shown = this.shown;
    if (!shown) return;
    const state: ExplanationStatusState = {
      uri: shown.input.document.uri.toString(),
      label: this.label(shown),
      tokenCount: shown.input.tokens.length,
      stale: shown.stale,
    };
    this.status.set(state);
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    const shown = this.shown;
    if (!shown || event.document !== shown.input.document || event.contentChanges.length === 0) return;
    const started = performance.now();
    const changes = toTextChanges(event.contentChanges);
    const becameStale = !shown.stale && changesReachSpans(shown.spans, changes);
    const { spans, droppedGroups } = applyTextChanges(shown.spans, changes);
    shown.spans = spans;
    if (spans.starts.length === 0) {
      this.clear();
      void vscode.window.setStatusBarMessage(
        '$(flame) Explanation cleared: the scored text was edited.',
        5000,
      );
      return;
    }
    if (becameStale) {
      shown.stale = true;
      this.announce();
      this.paint();
      return;
    }
    if (droppedGroups.length > 0) {
      // The editor would keep a decoration on edited text (shrunk or grown): repaint those colors at once.
      this.ctx.log.debug(`explanation: an edit dropped ${droppedGroups.length} scored span(s)`);
      this.paint(new Set(droppedGroups.map((group) => shown.heat.steps[group] ?? 0)));
    }
    // The editor moves untouched decorations exactly as the spans moved; re-sync all once typing pauses.
    this.schedulePaint();
    this.ctx.log.trace(
      `explanation: ${spans.starts.length} spans followed an edit in ${(performance.now() - started).toFixed(2)} ms`,
    );
  }

  private schedulePaint(): void {
    if (this.paintTimer) clearTimeout(this.paintTimer);
    this.paintTimer = setTimeout(() => {
      this.paintTimer = undefined;
      this.paint();
    }, RESYNC_DELAY_MS);
  }

  /**
   * One `setDecorations` per color step and editor: every step, or only `onlySteps` (the steps of
   * spans an edit dropped; the others are already where the editor moved them).
   */
  private paint(onlySteps?: ReadonlySet<number>): void {
    if (!onlySteps && this.paintTimer) {
      clearTimeout(this.paintTimer);
      this.paintTimer = undefined;
    }
    const shown = this.shown;
    const byStep = new Map<number, vscode.Range[]>();
    for (const step of this.types.keys()) if (!onlySteps || onlySteps.has(step)) byStep.set(step, []);
    if (shown) {
      const { document } = shown.input;
      const { starts, ends, groups } = shown.spans;
      for (let i = 0; i < starts.length; i++) {
        const ranges = byStep.get(shown.heat.steps[groups[i] as number] ?? 0);
        if (!ranges) continue;
        ranges.push(
          new vscode.Range(document.positionAt(starts[i] as number), document.positionAt(ends[i] as number)),
        );
      }
    }
    const stale = shown?.stale ?? false;
    for (const editor of vscode.window.visibleTextEditors) {
      const mine = shown !== undefined && editor.document === shown.input.document;
      for (const [step, ranges] of byStep) {
        const live = this.types.get(step);
        const dimmed = this.staleTypes.get(step);
        if (live) editor.setDecorations(live, mine && !stale ? ranges : []);
        if (dimmed) editor.setDecorations(dimmed, mine && stale ? ranges : []);
      }
    }
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const shown = this.shown;
    if (!shown || document !== shown.input.document) return undefined;
    const index = spanAt(shown.spans, document.offsetAt(position));
    if (index < 0) return undefined;
    const group = shown.spans.groups[index] as number;
    const score = shown.heat.scores[group];
    if (score === undefined) return undefined;
    const variables = shown.input.layout.groups[group]?.variables ?? [];
    const markdown = hoverMarkdown({
      label: this.label(shown),
      score,
      step: shown.heat.steps[group] ?? 0,
      tokenCount: shown.input.tokens.length,
      stale: shown.stale,
      rank: shown.heat.ranks[group] ?? 0,
      of: shown.heat.rankedOf,
      variables: variables.map((name) => ({ name, total: shown.heat.totals.get(name) ?? 0 })),
    });
    const range = new vscode.Range(
      document.positionAt(shown.spans.starts[index] as number),
      document.positionAt(shown.spans.ends[index] as number),
    );
    return new vscode.Hover(new vscode.MarkdownString(markdown), range);
  }

  private async setContext(): Promise<void> {
    await vscode.commands.executeCommand(
      'setContext',
      CONTEXT_KEY.explanationShown,
      this.shown !== undefined,
    );
    await vscode.commands.executeCommand(
      'setContext',
      CONTEXT_KEY.explanationHasTokens,
      (this.shown?.input.tokens.length ?? 0) > 0,
    );
  }

  dispose(): void {
    this.clear();
    this.status.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const type of [...this.types.values(), ...this.staleTypes.values()]) type.dispose();
  }
}

function heatOf(layout: HeatLayout, view: HeatView): ViewHeat {
  const scores = groupScores(layout, view.scores);
  const { ranks, of } = heatRanks(scores);
  return {
    view,
    scores,
    steps: heatSteps(scores),
    ranks,
    rankedOf: of,
    totals: variableTotals(layout, scores),
  };
}

export const heatmapService: ServiceKey<HeatmapController> = {
  name: 'explain.heatmap',
  create: (ctx) => new HeatmapController(ctx),
};
