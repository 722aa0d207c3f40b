// Runs prompt-test cases with as few requests as the backend allows, in stages over all cases at once:
// completions (cases sorted by prompt so shared prefixes meet a warm llama.cpp slot), then scoring
// grouped by scored text (one batched request for many prompts on llama.cpp), then explanations
// (`drivenBy`), then embeddings (`similar`). A case is reported as soon as its last stage is done.
import { CancelledError, PromptLensError, isCancellation, messageOf } from '../errors';
import { cosineSimilarity } from '../embeddings';
import { positiveSpans, regionShares } from './attribution';
import { checkAssertion, type Observations } from './checks';
import { limiter } from './limit';
import { addCost, type PromptTestBackend, type RenderedCase } from './testBackend';
import type { CaseResult, RunCost, TestCase, TestReport } from './types';

export interface SuiteToRun {
  file: string;
  source: string;
  cases: TestCase[];
  /** A problem that stops the whole file (unreadable, bad dataset). */
  error?: string;
}

export interface RunOptions {
  /** Requests at once (default: what the backend's parallelism says). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Explain each failed case's completion and say which parts of the prompt drove it. */
  explainFailures?: boolean;
  onCaseStarted?: (file: string, testCase: TestCase) => void;
  onCaseFinished?: (result: CaseResult, done: number, total: number) => void;
}

interface CaseState {
  file: string;
  testCase: TestCase;
  rendered?: RenderedCase;
  error?: string;
  errorKind?: 'backend' | 'input';
  seen: Observations;
  started?: number;
  busyMs: number;
  pendingStages: number;
  needsCompletion: boolean;
}

const TEXT_KINDS = new Set(['contains', 'notContains', 'equals', 'startsWith', 'regex', 'json']);

export async function runPromptTests(
  backend: PromptTestBackend,
  suites: readonly SuiteToRun[],
  options: RunOptions = {},
): Promise<TestReport> {
  const began = Date.now();
  const cost: RunCost = { calls: 0, promptTokensProcessed: 0 };
  const signal = options.signal;
  const concurrency = options.concurrency ?? (await backend.parallelism(signal));
  const limit = limiter(concurrency);
  const states: CaseState[] = suites.flatMap((suite) =>
    suite.cases.map((testCase) => ({
      file: suite.file,
      testCase,
      seen: { scores: new Map(), shares: new Map(), similarity: new Map() },
      busyMs: 0,
      pendingStages: 0,
      needsCompletion: false,
    })),
  );
  const results = new Map<CaseState, CaseResult>();
  let done = 0;
  const finish = (state: CaseState) => {
    const result = caseResult(state);
    results.set(state, result);
    done++;
    options.onCaseFinished?.(result, done, states.length);
  };
  const timed = async <T>(members: readonly CaseState[], work: () => Promise<T>): Promise<T> => {
    const start = Date.now();
    for (const m of members) m.started ??= start;
    try {
      return await work();
    } finally {
      for (const m of members) m.busyMs += Date.now() - start;
    }
  };
  const fail = (members: readonly CaseState[], error: unknown) => {
    if (isCancellation(error) || signal?.aborted) throw new CancelledError('Test run cancelled.');
    const message = messageOf(error);
    for (const m of members) {
      m.error ??= message;
      m.errorKind ??= error instanceof PromptLensError ? 'backend' : 'input';
    }
  };
  const stageDone = (state: CaseState) => {
    state.pendingStages--;
    if (state.pendingStages === 0 || state.error !== undefined) {
      if (!results.has(state)) finish(state);
    }
  };

  // Render every case (no requests).
  const sourceOf = new Map(suites.map((s) => [s.file, s.source]));
  for (const state of states) {
    options.onCaseStarted?.(state.file, state.testCase);
    try {
      state.rendered = await backend.render(sourceOf.get(state.file) ?? '', state.file, state.testCase.vars);
    } catch (error) {
      state.error = messageOf(error);
      state.errorKind = 'input';
    }
  }
  const live = () => states.filter((s) => s.error === undefined && s.rendered !== undefined);
  for (const state of states) {
    if (state.error !== undefined) {
      finish(state);
      continue;
    }
    const kinds = new Set(state.testCase.expect.map((a) => a.kind));
    const needsCompletion =
      [...kinds].some((k) => TEXT_KINDS.has(k) || k === 'similar') ||
      (kinds.has('drivenBy') &&
        state.testCase.target === undefined &&
        state.testCase.expect.some((a) => a.kind === 'drivenBy' && a.target === undefined));
    state.pendingStages =
      (needsCompletion ? 1 : 0) +
      (scoredTexts(state.testCase).length > 0 ? 1 : 0) +
      (kinds.has('drivenBy') ? 1 : 0) +
      (kinds.has('similar') ? 1 : 0);
    state.needsCompletion = needsCompletion;
    if (state.pendingStages === 0) finish(state);
  }
  const check = () => {
    if (signal?.aborted) throw new CancelledError('Test run cancelled.');
  };

  // 1. Completions, in prompt order (neighbours share prefixes).
  const completing = live().filter((s) => s.needsCompletion);
  completing.sort((a, b) => (a.rendered!.text < b.rendered!.text ? -1 : 1));
  await Promise.all(
    completing.map((state) =>
      limit(async () => {
        check();
        try {
          const outcome = await timed([state], () => backend.complete(state.rendered!, signal));
          state.seen.completion = { text: outcome.text, alternatives: outcome.alternatives };
          addCost(cost, outcome.cost);
        } catch (error) {
          fail([state], error);
        }
        stageDone(state);
      }),
    ),
  );

  // 2. Scores, grouped by scored text across cases, batched where the backend can.
  const byText = new Map<string, CaseState[]>();
  for (const state of live())
    for (const text of scoredTexts(state.testCase)) byText.set(text, [...(byText.get(text) ?? []), state]);
  const jobs: { text: string; members: CaseState[] }[] = [];
  for (const [text, members] of byText) {
    members.sort((a, b) => (a.rendered!.text < b.rendered!.text ? -1 : 1));
    for (let i = 0; i < members.length; i += backend.scoreBatchSize)
      jobs.push({ text, members: members.slice(i, i + backend.scoreBatchSize) });
  }
  const scoringLeft = new Map<CaseState, number>();
  for (const job of jobs) for (const m of job.members) scoringLeft.set(m, (scoringLeft.get(m) ?? 0) + 1);
  await Promise.all(
    jobs.map((job) =>
      limit(async () => {
        check();
        const members = job.members.filter((m) => m.error === undefined);
        if (members.length > 0) {
          try {
            const { results, cost: spent } = await timed(members, () =>
              backend.scoreMany(
                members.map((m) => m.rendered!),
                job.text,
                signal,
              ),
            );
            members.forEach((m, i) => {
              const result = results[i];
              if (result) m.seen.scores.set(job.text, result);
            });
            addCost(cost, spent);
          } catch (error) {
            fail(members, error);
          }
        }
        for (const m of job.members) {
          const left = (scoringLeft.get(m) ?? 1) - 1;
          scoringLeft.set(m, left);
          if (left === 0) stageDone(m);
        }
      }),
    ),
  );

  // 3. Explanations for drivenBy.
  await Promise.all(
    live()
      .filter((s) => s.testCase.expect.some((a) => a.kind === 'drivenBy'))
      .map((state) =>
        limit(async () => {
          check();
          const targets = new Set<string>();
          for (const a of state.testCase.expect)
            if (a.kind === 'drivenBy') {
              const target = a.target ?? state.testCase.target ?? state.seen.completion?.text;
              if (target) targets.add(target);
            }
          for (const target of targets) {
            try {
              const { result, cost: spent } = await timed([state], () =>
                backend.explain(state.rendered!, target, signal),
              );
              addCost(cost, spent);
              state.seen.shares.set(
                target,
                regionShares(positiveSpans(result, state.rendered!.itemStarts), state.rendered!.regions),
              );
            } catch (error) {
              if (isCancellation(error)) throw new CancelledError('Test run cancelled.');
              state.seen.shares.set(target, {
                error: messageOf(error),
              });
            }
          }
          stageDone(state);
        }),
      ),
  );

  // 4. Embeddings for similar: every completion and every `to` text in one call where possible.
  const similar = live().filter(
    (s) => s.testCase.expect.some((a) => a.kind === 'similar') && s.seen.completion,
  );
  if (similar.length > 0) {
    const texts = [
      ...new Set(
        similar.flatMap((s) => [
          s.seen.completion!.text,
          ...s.testCase.expect.flatMap((a) => (a.kind === 'similar' ? [a.to] : [])),
        ]),
      ),
    ];
    try {
      check();
      const { embeddings, cost: spent } = await limit(() =>
        timed(similar, () => backend.embed(texts, signal)),
      );
      addCost(cost, spent);
      const vector = new Map(texts.map((t, i) => [t, embeddings[i] ?? []]));
      for (const state of similar)
        for (const a of state.testCase.expect)
          if (a.kind === 'similar')
            state.seen.similarity.set(
              a.to,
              cosineSimilarity(vector.get(state.seen.completion!.text) ?? [], vector.get(a.to) ?? []),
            );
    } catch (error) {
      fail(similar, error);
    }
    for (const state of similar) stageDone(state);
  }
  for (const state of states) if (!results.has(state)) finish(state);

  if (options.explainFailures) await explainFailures(backend, states, results, limit, cost, signal);
  const files = suites.map((suite) => ({
    file: suite.file,
    cases: states.filter((s) => s.file === suite.file).map((s) => results.get(s)!),
    ...(suite.error === undefined ? {} : { error: suite.error }),
  }));
  const all = files.flatMap((f) => f.cases);
  const count = (v: CaseResult['verdict']) => all.filter((r) => r.verdict === v).length;
  return {
    files,
    cost,
    durationMs: Date.now() - began,
    summary: {
      passed: count('passed'),
      failed: count('failed'),
      errored: count('errored') + files.filter((f) => f.error).length,
      skipped: count('skipped'),
    },
  };
}

/** The texts a case scores: every `of` and every `other`, once. */
export function scoredTexts(testCase: TestCase): string[] {
  const texts = new Set<string>();
  for (const a of testCase.expect) {
    if (a.kind === 'logprob' || a.kind === 'perplexity' || a.kind === 'greedy') texts.add(a.of);
    if (a.kind === 'beats') for (const t of [a.of, ...a.others]) texts.add(t);
  }
  return [...texts];
}

function caseResult(state: CaseState): CaseResult {
  const { testCase } = state;
  const base = {
    file: state.file,
    caseId: testCase.id,
    name: testCase.name,
    durationMs: state.busyMs,
    location: testCase.location,
    ...(state.seen.completion ? { completion: state.seen.completion.text } : {}),
    ...(state.seen.completion && state.seen.completion.alternatives.length > 0
      ? { alternatives: state.seen.completion.alternatives }
      : {}),
  };
  if (state.error !== undefined)
    return {
      ...base,
      verdict: 'errored',
      assertions: [],
      error: state.error,
      errorKind: state.errorKind ?? 'input',
    };
  if (testCase.expect.length === 0)
    return {
      ...base,
      verdict: 'skipped',
      assertions: [],
      error: 'The case has no assertions (`expect:`, `expected:` or `contains:`).',
    };
  const explainTarget = testCase.target ?? state.seen.completion?.text;
  const assertions = testCase.expect.map((a) => checkAssertion(a, state.seen, explainTarget));
  return { ...base, verdict: assertions.every((a) => a.passed) ? 'passed' : 'failed', assertions };
}

async function explainFailures(
  backend: PromptTestBackend,
  states: readonly CaseState[],
  results: Map<CaseState, CaseResult>,
  limit: <T>(task: () => Promise<T>) => Promise<T>,
  cost: RunCost,
  signal: AbortSignal | undefined,
): Promise<void> {
  await Promise.all(
    states.map((state) => {
      const result = results.get(state);
      const target = failureTarget(state, result);
      if (!result || !state.rendered || target === undefined) return Promise.resolve();
      return limit(async () => {
        try {
          const { result: explained, cost: spent } = await backend.explain(state.rendered!, target, signal);
          addCost(cost, spent);
          result.explanation = topSpans(
            state.rendered!.text,
            positiveSpans(explained, state.rendered!.itemStarts),
            target,
          );
        } catch (error) {
          if (isCancellation(error)) throw new CancelledError('Test run cancelled.');
          result.explanation = `Could not explain: ${messageOf(error)}`;
        }
      });
    }),
  );
}

function failureTarget(state: CaseState, result: CaseResult | undefined): string | undefined {
  if (result?.verdict !== 'failed') return undefined;
  const failed = result.assertions.find((a) => !a.passed)?.assertion;
  if (failed && 'of' in failed) return failed.of;
  return state.seen.completion?.text || undefined;
}

function topSpans(
  text: string,
  spans: { start: number; length: number; score: number }[],
  target: string,
): string {
  const total = spans.reduce((s, x) => s + x.score, 0);
  if (total <= 0) return `Nothing in the prompt raised the likelihood of ${JSON.stringify(target)}.`;
  const top = [...spans].sort((a, b) => b.score - a.score).slice(0, 5);
  const parts = top.map(
    (s) =>
      `${JSON.stringify(text.slice(s.start, s.start + s.length).slice(0, 60))} ${((100 * s.score) / total).toFixed(0)}%`,
  );
  return `What drove ${JSON.stringify(target.slice(0, 60))}: ${parts.join(', ')}`;
}
