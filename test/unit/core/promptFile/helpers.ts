// Shared by the prompt-file tests (not a test file itself).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RenderResult } from '../../../../src/core/promptFile';

/** The repository root, found from the bundled test's location. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found');
    dir = parent;
  }
  return dir;
}

export function errors(result: RenderResult): string[] {
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
}

export function assertNoErrors(result: RenderResult): void {
  assert.deepEqual(errors(result), []);
}

/** The source text each map entry points at, paired with the rendered text it produced. */
export function mapPairs(source: string, result: RenderResult): [string, string, string | undefined][] {
  return result.map.map((e) => [
    result.text.slice(e.renderedStart, e.renderedStart + e.renderedLength),
    source.slice(e.sourceStart, e.sourceStart + e.sourceLength),
    e.variable,
  ]);
}

/** Every rendered character is covered exactly once, in order. */
export function assertMapCoversText(result: RenderResult): void {
  let cursor = 0;
  for (const entry of result.map) {
    assert.equal(entry.renderedStart, cursor, `gap or overlap at ${cursor}`);
    assert.ok(entry.renderedLength > 0);
    cursor += entry.renderedLength;
  }
  assert.equal(cursor, result.text.length);
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'promptlens-'));
}
