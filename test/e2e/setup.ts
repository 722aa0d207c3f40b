// The e2e layer's shared environment: one code-server with the packaged VSIX installed and one
// browser, started by scripts/run-e2e.mjs and handed over through a global (each test file is its
// own bundle, so a module variable would not be shared).
import type { Page } from 'playwright-core';

export interface E2eEnvironment {
  serverUrl: string;
  /** `newPage()` opens a page in a fresh browser context (no state shared between test files). */
  browser: { newPage(): Promise<Page> };
  /** A fresh copy of test/fixtures/workspace for each caller. */
  freshWorkspace(): string;
}

const KEY = '__promptLensE2e';

export function e2e(): E2eEnvironment {
  const environment = (globalThis as Record<string, unknown>)[KEY] as E2eEnvironment | undefined;
  if (!environment)
    throw new Error('e2e environment not started: run the e2e layer with scripts/run-e2e.mjs');
  return environment;
}
