// Types of prompt tests: the cases of a `.prompt` file's `tests:`, their assertions and their results.
import type { JsonSchema } from './jsonSchema';

/** Checks on the completion (sampled with the file's params, temperature 0 unless set). */
export type TextAssertion =
  | { kind: 'contains'; value: string }
  | { kind: 'notContains'; value: string }
  | { kind: 'equals'; value: string }
  | { kind: 'startsWith'; value: string }
  | { kind: 'regex'; pattern: string; flags: string }
  | { kind: 'json'; schema?: JsonSchema };

/** Checks on what the model's probabilities, attributions and embeddings say. */
export type ModelAssertion =
  | { kind: 'logprob'; of: string; min?: number; max?: number }
  | { kind: 'perplexity'; of: string; min?: number; max?: number }
  | { kind: 'greedy'; of: string }
  | { kind: 'beats'; of: string; others: string[]; margin: number }
  | { kind: 'drivenBy'; range: string; minShare: number; target?: string }
  | { kind: 'similar'; to: string; min: number };

export type Assertion = TextAssertion | ModelAssertion;
export type AssertionKind = Assertion['kind'];

/** Where something is in a file (0-based line and column). */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One runnable case, from the front matter or a dataset line. */
export interface TestCase {
  /** Stable id within the file: the name, or `#<n>` / `<dataset>#<line>` without one. */
  id: string;
  name: string;
  vars: Record<string, unknown>;
  expect: Assertion[];
  /** Explain target for `drivenBy` (else the completion). */
  target?: string;
  /** Line of the case in the `.prompt` file, or in the dataset file. */
  location: { file: string; position: SourcePosition };
  /** The dataset file it came from. */
  dataset?: string;
}

/** A `tests:` entry naming a dataset; its cases are loaded when needed. */
export interface DatasetEntry {
  file: string;
  /** The entry's other keys (vars, expect, name, target), merged into every case of the dataset. */
  base: { vars: Record<string, unknown>; expect: Assertion[]; target?: string; name?: string };
  position: SourcePosition;
}

export interface TestProblem {
  message: string;
  position: SourcePosition;
}

export interface PromptTestSuite {
  file: string;
  /** Position of the `tests:` key (for the CodeLens). */
  testsKey?: SourcePosition;
  cases: TestCase[];
  datasets: DatasetEntry[];
  problems: TestProblem[];
}

export type Verdict = 'passed' | 'failed' | 'errored' | 'skipped';

export interface AssertionResult {
  assertion: Assertion;
  passed: boolean;
  /** One line: what was expected and what came. */
  message: string;
  expected?: string;
  actual?: string;
}

export interface TopAlternative {
  text: string;
  logprob: number;
}

export interface CaseResult {
  file: string;
  caseId: string;
  name: string;
  verdict: Verdict;
  durationMs: number;
  assertions: AssertionResult[];
  completion?: string;
  /** Top alternatives of the completion's first token (what else the model considered). */
  alternatives?: TopAlternative[];
  /** An error that stopped the case (backend, rendering). */
  error?: string;
  /** `backend`: the server failed or could not be reached; `input`: the case or its template is wrong. */
  errorKind?: 'backend' | 'input';
  location: { file: string; position: SourcePosition };
  /** "Run and explain failures": the prompt spans that drove the failing text. */
  explanation?: string;
  /** Set by `--baseline`: how the verdict changed. */
  change?: 'regression' | 'fix' | 'new';
}

export interface RunCost {
  /** HTTP requests to the backend. */
  calls: number;
  /** Prompt tokens the server processed (llama.cpp: not from cache), where it says. */
  promptTokensProcessed: number;
}

export interface TestReport {
  files: { file: string; cases: CaseResult[]; error?: string }[];
  cost: RunCost;
  durationMs: number;
  summary: { passed: number; failed: number; errored: number; skipped: number };
}
