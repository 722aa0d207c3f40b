// `--dry-run`: what a run would spend, counted without a completion or scoring request: the cases,
// the calls (batched as the run would batch them) and the prompt tokens sent, by the backend's own
// tokenizer, without counting any cache.
import { messageOf } from '../errors';
import { scoredTexts, type SuiteToRun } from './runner';
import type { PromptTestBackend, RenderedCase } from './testBackend';

export interface DryRunPlan {
  cases: number;
  calls: { completions: number; scoring: number; explanations: number; embeddings: number; total: number };
  promptTokens: number;
  /** Cases that could not be rendered, with why. */
  problems: string[];
}

const TEXT_KINDS = new Set(['contains', 'notContains', 'equals', 'startsWith', 'regex', 'json', 'similar']);

export async function planRun(
  backend: PromptTestBackend,
  suites: readonly SuiteToRun[],
  signal?: AbortSignal,
): Promise<DryRunPlan> {
  const plan: DryRunPlan = {
    cases: 0,
    calls: { completions: 0, scoring: 0, explanations: 0, embeddings: 0, total: 0 },
    promptTokens: 0,
    problems: [],
  };
  const tokenCache = new Map<string, Promise<number>>();
  const count = (text: string) => {
    let n = tokenCache.get(text);
    if (!n) tokenCache.set(text, (n = backend.countTokens(text, signal)));
    return n;
  };
  const byText = new Map<string, number>();
  let embedTexts = 0;
  for (const suite of suites) {
    if (suite.error) plan.problems.push(suite.error);
    for (const testCase of suite.cases) {
      plan.cases++;
      let rendered: RenderedCase;
      try {
        rendered = await backend.render(suite.source, suite.file, testCase.vars);
      } catch (error) {
        plan.problems.push(messageOf(error));
        continue;
      }
      const promptTokens = await count(rendered.text);
      const kinds = new Set(testCase.expect.map((a) => a.kind));
      if (
        [...kinds].some((k) => TEXT_KINDS.has(k)) ||
        (kinds.has('drivenBy') && testCase.target === undefined)
      ) {
        plan.calls.completions++;
        plan.promptTokens += promptTokens;
      }
      for (const text of scoredTexts(testCase)) {
        byText.set(text, (byText.get(text) ?? 0) + 1);
        plan.promptTokens += promptTokens + (await count(text));
      }
      for (const a of testCase.expect) {
        if (a.kind === 'drivenBy') {
          const target = a.target ?? testCase.target;
          // Without a fixed target the completion is explained; its length is unknown before it exists.
          const calls = await backend.explainCalls(rendered, target ?? ' ', signal);
          plan.calls.explanations += calls;
          plan.promptTokens += calls * promptTokens;
        }
        if (a.kind === 'similar') {
          embedTexts += 2;
          plan.promptTokens += await count(a.to);
        }
      }
    }
  }
  for (const n of byText.values()) plan.calls.scoring += Math.ceil(n / backend.scoreBatchSize);
  if (embedTexts > 0)
    plan.calls.embeddings = backend.kind === 'llama-cpp' ? embedTexts : Math.ceil(embedTexts / 100);
  const c = plan.calls;
  c.total = c.completions + c.scoring + c.explanations + c.embeddings;
  return plan;
}

export function dryRunText(plan: DryRunPlan): string {
  const c = plan.calls;
  return [
    `${plan.cases} cases`,
    `${c.total} calls: ${c.completions} completions, ${c.scoring} scoring, ${c.explanations} explanation, ${c.embeddings} embedding`,
    `${plan.promptTokens} prompt tokens (before any cache)`,
    ...plan.problems.map((p) => `! ${p}`),
  ].join('\n');
}
