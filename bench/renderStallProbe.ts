// Runs inside the extension host (as the "tests" module of a workbench window, see
// bench/renderStall.mjs): the longest event-loop stall while an 8 MB file is open and typed in,
// first as plain text (the baseline: what VS Code itself costs the host), then as a `.prompt`
// file (diagnostics, token count and CodeLens render it on every pause). Writes JSON to
// PROMPT_LENS_BENCH_OUT.
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { PromptLensApi } from '../src/extension';
import { renderTemplate } from '../src/features/common/promptSource';

const EDITS = Number(process.env['PROMPT_LENS_BENCH_EDITS'] ?? 24);
const TICK_MS = 5;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Phase {
  file: string;
  /** Longest gap between two ticks of a 5 ms interval, minus the interval. */
  maxStallMs: number;
  /** node:perf_hooks' event-loop delay histogram over the same time. */
  histogramMaxMs: number;
  histogramP99Ms: number;
  edits: number;
  /** From the last keystroke until the render of the last version was done (prompt files only). */
  lastRenderMs?: number;
  lastRenderErrors?: string[];
}

async function typeIn(ctx: PromptLensApi['ctx'], uri: vscode.Uri, isPrompt: boolean): Promise<Phase> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let maxStall = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxStall = Math.max(maxStall, now - last - TICK_MS);
    last = now;
  }, TICK_MS);
  histogram.enable();
  try {
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    await sleep(1500);
    for (let i = 0; i < EDITS; i++) {
      await editor.edit((edit) => edit.insert(new vscode.Position(40 + i, 0), 'x'), {
        undoStopBefore: false,
        undoStopAfter: false,
      });
      // Bursts of typing with pauses past the debounce of diagnostics and token count.
      await sleep(i % 4 === 3 ? 700 : 90);
    }
    const phase: Phase = {
      file: uri.path.split('/').pop() ?? '',
      maxStallMs: 0,
      histogramMaxMs: 0,
      histogramP99Ms: 0,
      edits: EDITS,
    };
    if (isPrompt) {
      const started = performance.now();
      const render = await renderTemplate(ctx, document);
      phase.lastRenderMs = performance.now() - started;
      phase.lastRenderErrors = render.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    }
    await sleep(1000);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await sleep(500);
    phase.maxStallMs = maxStall;
    phase.histogramMaxMs = histogram.max / 1e6;
    phase.histogramP99Ms = histogram.percentile(99) / 1e6;
    return phase;
  } finally {
    clearInterval(ticker);
    histogram.disable();
  }
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<PromptLensApi>('prompt-lens.prompt-lens');
  if (!extension) throw new Error('Prompt Lens is not loaded');
  const { ctx } = await extension.activate();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) throw new Error('no workspace folder');
  // Loads the feature bundle and starts the render worker before anything is timed.
  await renderTemplate(
    ctx,
    await vscode.workspace.openTextDocument({ language: 'liquid-prompt', content: 'warm {{ "up" }}' }),
  );
  // PROMPT_LENS_BENCH_PROFILE=file.cpuprofile: where the host's time goes (to find a stall's cause).
  const profileTo = process.env['PROMPT_LENS_BENCH_PROFILE'];
  const session = new inspector.Session();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  if (profileTo) {
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  const baseline = await typeIn(ctx, vscode.Uri.joinPath(folder, 'big.txt'), false);
  const measured = await typeIn(ctx, vscode.Uri.joinPath(folder, 'big.prompt'), true);
  if (profileTo) {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(profileTo, JSON.stringify(profile));
    session.disconnect();
  }
  const out = process.env['PROMPT_LENS_BENCH_OUT'];
  if (out) fs.writeFileSync(out, JSON.stringify({ baseline, measured }, null, 2));
}
