// Runs a Test Explorer request: collects the cases it includes, runs them per file on the file's
// profile, and reports each with durations, TestMessage diffs (expected vs actual) at the case's line.
import { messageOf } from '../../core/errors';
import * as vscode from 'vscode';
import { parseDocument } from 'yaml';
import { splitFrontMatter } from '../../core/promptFile/index';
import {
  coreTestBackend,
  runPromptTests,
  type CaseResult,
  type TestCase,
} from '../../core/promptTests/index';
import { config } from '../../config';
import type { Ctx } from '../../ctx';
import { backendRegistry } from '../common/backends';
import { recordResults } from './history';
import type { PromptTestTree } from './tree';
import { renderCache } from '../common/renderCache';

interface FileWork {
  uri: vscode.Uri;
  source: string;
  items: Map<string, { item: vscode.TestItem; testCase: TestCase }>;
}

export async function runRequest(
  ctx: Ctx,
  tree: PromptTestTree,
  request: vscode.TestRunRequest,
  token: vscode.CancellationToken,
  explain: boolean,
): Promise<void> {
  const run = tree.controller.createTestRun(request);
  const abort = new AbortController();
  const cancelled = token.onCancellationRequested(() => abort.abort());
  try {
    const work = await collect(tree, request);
    const total = [...work.values()].reduce((n, w) => n + w.items.size, 0);
    for (const w of work.values()) for (const { item } of w.items.values()) run.enqueued(item);
    run.appendOutput(
      `Prompt Lens: ${total} case${total === 1 ? '' : 's'} in ${work.size} file${work.size === 1 ? '' : 's'}${explain ? ', explaining failures' : ''}\r\n`,
    );
    let done = 0;
    for (const w of work.values()) {
      if (token.isCancellationRequested) break;
      await runFile(ctx, run, w, abort.signal, explain, () => {
        done++;
        return `${done}/${total}`;
      });
    }
  } catch (error) {
    if (!token.isCancellationRequested) run.appendOutput(`Prompt Lens: ${messageOf(error)}\r\n`);
  } finally {
    cancelled.dispose();
    run.end();
  }
}

async function runFile(
  ctx: Ctx,
  run: vscode.TestRun,
  w: FileWork,
  signal: AbortSignal,
  explain: boolean,
  progress: () => string,
): Promise<void> {
  const items = [...w.items.values()];
  let connection;
  try {
    const named = profileOf(w.source);
    connection = await ctx.service(backendRegistry).connect(named);
  } catch (error) {
    const message = new vscode.TestMessage(`Cannot connect: ${messageOf(error)}`);
    for (const { item } of items) run.errored(item, message);
    return;
  }
  const backend = coreTestBackend(connection.backend, {
    maxTokens: config.maxTokens(),
    temperature: config.temperature(),
    topLogProbs: config.topLogProbs(),
    // The file is rendered by its file-system path: the policy takes native paths.
    files: ctx.service(renderCache).filesFor(w.uri, 'native'),
    ...(connection.model === undefined ? {} : { model: connection.model }),
  });
  const byId = new Map(items.map(({ item, testCase }) => [testCase.id, item]));
  const finished: { id: string; result: CaseResult }[] = [];
  try {
    await runPromptTests(
      backend,
      [{ file: w.uri.fsPath, source: w.source, cases: items.map((i) => i.testCase) }],
      {
        signal,
        explainFailures: explain,
        onCaseStarted: (_file, testCase) => {
          const item = byId.get(testCase.id);
          if (item) run.started(item);
        },
        onCaseFinished: (result) => {
          const item = byId.get(result.caseId);
          if (!item) return;
          report(run, item, result);
          finished.push({ id: item.id, result });
          run.appendOutput(`[${progress()}] ${result.verdict} ${result.name}\r\n`, undefined, item);
        },
      },
    );
  } catch (error) {
    if (!signal.aborted) throw error;
    for (const { item } of items) if (!finished.some((f) => f.id === item.id)) run.skipped(item);
  } finally {
    await recordResults(ctx, finished);
    // The state icon now tells the result; the stored one ("last: ...") is only for a fresh session.
    for (const { result } of finished) {
      const item = byId.get(result.caseId);
      if (item) item.description = '';
    }
  }
}

/** Passed, failed with one TestMessage per failed assertion (a diff where there are two texts), errored, skipped. */
export function report(run: vscode.TestRun, item: vscode.TestItem, result: CaseResult): void {
  const location = item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined;
  const withLocation = (message: vscode.TestMessage) => {
    if (location) message.location = location;
    return message;
  };
  switch (result.verdict) {
    case 'passed':
      run.passed(item, result.durationMs);
      return;
    case 'skipped':
      run.skipped(item);
      return;
    case 'errored':
      run.errored(
        item,
        withLocation(new vscode.TestMessage(result.error ?? 'The case could not run.')),
        result.durationMs,
      );
      return;
    case 'failed': {
      const messages = result.assertions
        .filter((a) => !a.passed)
        .map((a) => {
          const text = result.explanation ? `${a.message}\n\n${result.explanation}` : a.message;
          const message =
            a.expected !== undefined && a.actual !== undefined
              ? vscode.TestMessage.diff(text, a.expected, a.actual)
              : new vscode.TestMessage(text);
          return withLocation(message);
        });
      run.failed(item, messages, result.durationMs);
    }
  }
}

/** The cases a request includes (a file means all its cases and datasets), minus the excluded ones, per file. */
async function collect(tree: PromptTestTree, request: vscode.TestRunRequest): Promise<Map<string, FileWork>> {
  await tree.discover();
  const excluded = new Set((request.exclude ?? []).map((i) => i.id));
  const work = new Map<string, FileWork>();
  const add = async (item: vscode.TestItem): Promise<void> => {
    if (excluded.has(item.id)) return;
    const data = tree.data.get(item);
    if (!data) return;
    if (data.kind === 'dataset' && !data.loaded) await tree.resolveDataset(item);
    if (data.kind === 'file' || data.kind === 'dataset') {
      const children: vscode.TestItem[] = [];
      item.children.forEach((child) => void children.push(child));
      for (const child of children) await add(child);
      return;
    }
    const key = data.uri.toString();
    let entry = work.get(key);
    if (!entry) {
      const file = tree.data.get(tree.controller.items.get(key) ?? item);
      entry = {
        uri: data.uri,
        source: file?.kind === 'file' ? await sourceOf(data.uri) : '',
        items: new Map(),
      };
      work.set(key, entry);
    }
    entry.items.set(item.id, { item, testCase: data.testCase });
  };
  const roots: vscode.TestItem[] = [];
  if (request.include) roots.push(...request.include);
  else tree.controller.items.forEach((item) => void roots.push(item));
  for (const item of roots) await add(item);
  return work;
}

async function sourceOf(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

function profileOf(source: string): string | undefined {
  const split = splitFrontMatter(source);
  const named = split.yaml ? parseDocument(split.yaml.text).get('backend') : undefined;
  return typeof named === 'string' ? named : undefined;
}
