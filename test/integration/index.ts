// The integration suite's entry: runner-agnostic, so code-server (scripts/run-integration.mjs) and
// @vscode/test-electron (runElectron.ts) both call this `run()` inside a real extension host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

export function run(): Promise<void> {
  // Mocha's reporter writes to stdout, which the browser-hosted runner never sees: send it to the console.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) =>
    console.log(`[prompt-lens-test] ${util.format(...args)}`);
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env['PROMPT_LENS_TEST_GREP'];
  if (grep) mocha.grep(grep);
  // extension.test.js checks the state before first use (not active, nothing loaded): it runs first.
  const files = testFiles(__dirname).sort(
    (a, b) =>
      Number(b.endsWith('extension.test.js')) - Number(a.endsWith('extension.test.js')) || a.localeCompare(b),
  );
  for (const file of files) mocha.addFile(file);
  const resultFile = path.resolve(__dirname, '..', '..', '..', 'test-results', 'integration.json');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats ?? { passes: 0, failures };
      fs.mkdirSync(path.dirname(resultFile), { recursive: true });
      fs.writeFileSync(resultFile, JSON.stringify({ passed: stats.passes, failed: stats.failures }));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
