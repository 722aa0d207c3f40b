// Runs mocha programmatically and returns its counts, for the one summary line of `npm test`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return findTests(full);
      return entry.name.endsWith('.test.js') ? [full] : [];
    })
    .sort();
}

/**
 * Resolves to the counts, or to `loadError` when a test file throws while loading: then none of the
 * layer's tests ran, and the summary must say so instead of counting it as one failed test.
 */
export function runMocha(files, options = {}) {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 20_000, ...options });
  for (const file of files) mocha.addFile(file);
  return new Promise((resolve) => {
    try {
      const runner = mocha.run(() =>
        resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }),
      );
    } catch (error) {
      console.error(error);
      resolve({ passed: 0, failed: 0, loadError: String(error?.message ?? error).split('\n')[0] });
    }
  });
}
