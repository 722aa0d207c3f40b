// Prompt tests: the cases of `.prompt` files' `tests:` (and their datasets), run against a backend.
export { ASSERTION_KINDS, describeAssertion, readAssertion } from './assertions';
export { compareWithBaseline, readBaseline } from './baseline';
export { coreTestBackend, type CoreAdapterOptions } from './coreAdapter';
export { DatasetError, loadDataset, resolveDataset, MAX_DATASET_BYTES, MAX_DATASET_CASES } from './datasets';
export { dryRunText, planRun, type DryRunPlan } from './dryRun';
export { parseTestSuite } from './parse';
export { jsonReport, junitReport, textReport } from './reporters';
export { runPromptTests, scoredTexts, type RunOptions, type SuiteToRun } from './runner';
export { loadSuite, type LoadedSuite } from './suites';
export type { PromptTestBackend, RenderedCase } from './testBackend';
export type * from './types';
