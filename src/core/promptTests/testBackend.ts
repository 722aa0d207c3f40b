// The narrow interface the prompt-test runner needs from a backend: render a case, complete, score
// several prompts against one text, explain, embed, count tokens. coreAdapter.ts implements it over
// today's core functions; a use-case layer can implement it instead without touching the runner.
import type { BackendKind, EvaluateResult, ExplainResult, Prompt } from '../backend';
import type { NamedRegion } from './attribution';
import type { RunCost, TopAlternative } from './types';

export interface RenderedCase {
  prompt: Prompt;
  /** The prompt's text items joined (what regions and explanation spans index). */
  text: string;
  itemStarts: readonly (number | undefined)[];
  /** The front matter's params (backend API names) and model. */
  params: Record<string, unknown>;
  model?: string;
  /** `{% promptrange %}` regions and `{{ variable }}` outputs, by name. */
  regions: NamedRegion[];
}

export interface CompletionOutcome {
  text: string;
  /** The first generated token's alternatives. */
  alternatives: TopAlternative[];
  cost: RunCost;
}

export interface PromptTestBackend {
  readonly kind: BackendKind;
  /** Requests worth running at once (llama.cpp: the server's slots). */
  parallelism(signal?: AbortSignal): Promise<number>;
  /** How many prompts `scoreMany` takes in one call (1 where nothing is batched). */
  readonly scoreBatchSize: number;
  /** Renders a `.prompt` source with the case's variables; throws an Error with the first problem. */
  render(source: string, file: string, vars: Record<string, unknown>): Promise<RenderedCase>;
  complete(rendered: RenderedCase, signal?: AbortSignal): Promise<CompletionOutcome>;
  /** log P(text | prompt) after each prompt, in as few requests as the backend allows. */
  scoreMany(
    rendered: readonly RenderedCase[],
    text: string,
    signal?: AbortSignal,
  ): Promise<{ results: EvaluateResult[]; cost: RunCost }>;
  explain(
    rendered: RenderedCase,
    target: string,
    signal?: AbortSignal,
  ): Promise<{ result: ExplainResult; cost: RunCost }>;
  embed(texts: string[], signal?: AbortSignal): Promise<{ embeddings: number[][]; cost: RunCost }>;
  /** Tokens of a text by the backend's own tokenizer (for dry runs). */
  countTokens(text: string, signal?: AbortSignal): Promise<number>;
  /** Scoring calls an explanation of this prompt would take (for dry runs). */
  explainCalls(rendered: RenderedCase, target: string, signal?: AbortSignal): Promise<number>;
}

export const NO_COST: RunCost = { calls: 0, promptTokensProcessed: 0 };

export function addCost(into: RunCost, more: RunCost): void {
  into.calls += more.calls;
  into.promptTokensProcessed += more.promptTokensProcessed;
}
