// Runs test/integration inside the real VS Code extension host of code-server, driven by Chromium.
// Usage: node scripts/run-integration.mjs [--grep PATTERN] [--no-build]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VIEWPORT, launchBrowser } from './lib/browser.mjs';
import { developmentUrl, startCodeServer } from './lib/codeServer.mjs';
import { ensureTestEnvironment, resultsDir, root } from './lib/env.mjs';
import { freshWorkspace } from './lib/workspace.mjs';

const args = process.argv.slice(2);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;
const TIMEOUT_MS = 15 * 60_000;
const MOCHA_MARK = '[prompt-lens-test] ';

if (!args.includes('--no-build')) execFileSync('node', ['esbuild.js'], { cwd: root, stdio: 'inherit' });
ensureTestEnvironment();
fs.mkdirSync(resultsDir, { recursive: true });
const resultFile = path.join(resultsDir, 'integration.json');
fs.rmSync(resultFile, { force: true });

const server = await startCodeServer({ env: grep ? { PROMPT_LENS_TEST_GREP: grep } : {} });
const browser = await launchBrowser();
let exitCode = 1;
try {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const exited = new Promise((resolve) => {
    page.exposeFunction('codeAutomationExit', (code) => resolve(code));
  });
  page.on('console', (message) => {
    // Only the suite's own lines (marked by test/integration/index.ts); workbench noise stays out.
    const text = message.text();
    const at = text.indexOf(MOCHA_MARK);
    if (at >= 0) console.log(text.slice(at + MOCHA_MARK.length));
    else if (process.env.DEBUG_CONSOLE) console.log(`[${message.type()}] ${text.slice(0, 300)}`);
  });
  const url = developmentUrl(server.url, {
    folder: freshWorkspace(),
    extensionPaths: [root],
    testsPath: path.join(root, 'dist', 'test', 'integration', 'index.js'),
  });
  await page.goto(url);
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), TIMEOUT_MS));
  const outcome = await Promise.race([exited, timeout]);
  if (outcome === 'timeout')
    console.error('integration: no result within the time limit (is the smoke-test driver enabled?)');
  else exitCode = outcome;
} finally {
  await browser.close();
  server.stop();
}
const result = fs.existsSync(resultFile)
  ? JSON.parse(fs.readFileSync(resultFile, 'utf8'))
  : { passed: 0, failed: 1 };
console.log(`integration: ${result.passed} passed, ${result.failed} failed`);
process.exit(exitCode === 0 && result.failed === 0 ? 0 : 1);
