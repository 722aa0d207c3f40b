// Runs inside the extension host (as the "tests" module of a workbench window, see bench/editor.mjs):
// times the editor's hot paths against a baseline measured in the same window. Writes JSON to
// PROMPT_LENS_BENCH_OUT.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TokenLogProb } from '../src/core/backend';
import { layoutOnDocument } from '../src/core/explain/heatLayout';
import { applyTextChanges, createSpanSet } from '../src/core/explain/spanTracking';
import type { PromptLensApi } from '../src/extension';
import { HeatmapController } from '../src/features/explain/heatmap';
import { generatedTokens } from '../src/features/completion/generatedTokens';
import { tokenView } from '../src/features/tokens/showTokens';
import { tokenSpansInText } from '../src/core/tokens/tokenSpans';

const SPANS = 5_000;
const GENERATED = 2_000;
const ROUNDS = Number(process.env['PROMPT_LENS_BENCH_ROUNDS'] ?? 40);

interface Timing {
  median: number;
  p95: number;
  samples: number;
}

function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { median: at(0.5), p95: at(0.95), samples: sorted.length };
}

async function timeAsync(rounds: number, body: (round: number) => Promise<void>): Promise<Timing> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await body(round);
    samples.push(performance.now() - started);
  }
  return summarise(samples);
}

function timeSync(rounds: number, body: (round: number) => void): Timing {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    body(round);
    samples.push(performance.now() - started);
  }
  return summarise(samples);
}

/** `count` words of the toy vocabulary, one per line every 12 words: a long prompt. */
function words(count: number): { text: string; spans: { start: number; end: number }[] } {
  const vocabulary = [
    'the',
    'cat',
    'sat',
    'on',
    'mat',
    'and',
    'dogs',
    'ran',
    'to',
    'Paris',
    'apple',
    'green',
  ];
  let text = '';
  const spans: { start: number; end: number }[] = [];
  for (let i = 0; i < count; i++) {
    const word = vocabulary[i % vocabulary.length] ?? 'x';
    if (i > 0) text += i % 12 === 0 ? '\n' : ' ';
    spans.push({ start: text.length, end: text.length + word.length });
    text += word;
  }
  return { text: `${text}\n`, spans };
}

async function openEditor(text: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
  return vscode.window.showTextDocument(document);
}

function hoverPositions(
  document: vscode.TextDocument,
  spans: readonly { start: number; end: number }[],
  count: number,
): vscode.Position[] {
  return Array.from({ length: count }, (_, i) => {
    const span = spans[Math.floor((i * 7919) % spans.length)] ?? spans[0];
    return document.positionAt(span ? span.start + 1 : 0);
  });
}

async function hoverBench(
  positions: readonly vscode.Position[],
  uri: vscode.Uri,
  expectContent: boolean,
): Promise<Timing> {
  return timeAsync(positions.length, async (round) => {
    const hovers =
      (await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        uri,
        positions[round],
      )) ?? [];
    if (expectContent && hovers.length === 0)
      throw new Error(`hover missing at ${positions[round]?.line}:${positions[round]?.character}`);
  });
}

/** The bare cost of painting precomputed ranges, spread over `types` decoration types. */
function bareDecorations(
  editor: vscode.TextEditor,
  ranges: readonly vscode.Range[],
  typeCount: number,
): Timing {
  const types = Array.from({ length: typeCount }, (_, i) =>
    vscode.window.createTextEditorDecorationType({ backgroundColor: `rgba(${i * 30}, 100, 200, 0.2)` }),
  );
  const byType = types.map((_, t) => ranges.filter((__, i) => i % typeCount === t));
  const timing = timeSync(ROUNDS, () => {
    types.forEach((type, t) => editor.setDecorations(type, byType[t] ?? []));
  });
  types.forEach((type) => type.dispose());
  return timing;
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<PromptLensApi>('prompt-lens.prompt-lens');
  if (!extension) throw new Error('Prompt Lens is not loaded');
  const { ctx } = await extension.activate();
  const results: Record<string, unknown> = {};

  // --- Hover over generated tokens (the completion's memory of its tokens).
  {
    const { text, spans } = words(GENERATED);
    const editor = await openEditor(text);
    const top = (word: string): TokenLogProb['top'] =>
      ['the', 'a', 'cat', 'dog', 'mat']
        .map((t, i) => ({ text: ` ${t}`, logprob: -0.5 - i, id: 100 + i }))
        .concat({ text: ` ${word}`, logprob: -0.4, id: 99 });
    const pieces = spans.map((span) => {
      const word = text.slice(span.start, span.end);
      return {
        start: span.start,
        end: span.end,
        token: { text: word, logprob: -0.4, id: 99, top: top(word) },
      };
    });
    const positions = hoverPositions(editor.document, spans, ROUNDS);
    const baseline = await hoverBench(positions, editor.document.uri, false);
    ctx.service(generatedTokens).add(editor.document, pieces);
    const generated = await hoverBench(positions, editor.document.uri, true);
    results['hoverGenerated'] = { tokens: GENERATED, baseline, measured: generated };
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }

  // --- Show Tokens: ids on hover, and painting 5,000 tokens.
  {
    const { text, spans } = words(SPANS);
    const editor = await openEditor(text);
    const tokens = spans.map((span, i) => ({ id: 1000 + i, text: ` ${text.slice(span.start, span.end)}` }));
    const positions = hoverPositions(editor.document, spans, ROUNDS);
    const baseline = await hoverBench(positions, editor.document.uri, false);
    const view = ctx.service(tokenView);
    const ranges = spans.map(
      (s) => new vscode.Range(editor.document.positionAt(s.start), editor.document.positionAt(s.end)),
    );
    const bare = bareDecorations(editor, ranges, 2);
    const paint = timeSync(ROUNDS, () => view.show(editor.document, tokenSpansInText(text, tokens)));
    const shownCount = view.current?.decorationCount;
    const hover = await hoverBench(positions, editor.document.uri, true);
    view.hide();
    results['tokens'] = {
      tokens: SPANS,
      decorations: shownCount,
      hoverBaseline: baseline,
      hover,
      paintBaseline: bare,
      paint,
    };
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }

  // --- Heat map: 5,000 scored spans follow an edit (the explanation's HeatmapController).
  {
    const { text, spans } = words(SPANS);
    const editor = await openEditor(text);
    const ranges = spans.map(
      (s) => new vscode.Range(editor.document.positionAt(s.start), editor.document.positionAt(s.end)),
    );
    const bare = bareDecorations(editor, ranges, 8);

    const set = createSpanSet(spans.map((s, group) => ({ ...s, group })));
    const pure = timeSync(ROUNDS, (round) =>
      applyTextChanges(set, [{ offset: round, removed: 0, inserted: 2 }]),
    );

    // The controller's edit handler runs between two listeners registered around its creation.
    let editStarted = 0;
    const samples: number[] = [];
    const before = vscode.workspace.onDidChangeTextDocument(() => (editStarted = performance.now()));
    const controller = new HeatmapController(ctx);
    const after = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === editor.document) samples.push(performance.now() - editStarted);
    });
    const scores = spans.map((_, i) => Math.sin(i * 12.9898) * 0.9);
    controller.show({
      document: editor.document,
      edits: [],
      layout: layoutOnDocument(spans, 0),
      target: ' Paris',
      complete: { target: ' Paris', scores },
      tokens: [],
    });
    const painted = controller.snapshot()?.spans.length ?? 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Typing at the top: every span after it moves.
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'x '), {
        undoStopBefore: false,
        undoStopAfter: false,
      });
    }
    const followed = controller.snapshot()?.spans.length ?? 0;
    before.dispose();
    after.dispose();
    controller.dispose();
    results['heat'] = {
      spans: SPANS,
      painted,
      followedAfterEdits: followed,
      paintBaseline: bare,
      applyTextChanges: pure,
      editUpdate: summarise(samples),
    };
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }

  const out = process.env['PROMPT_LENS_BENCH_OUT'];
  if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
}
