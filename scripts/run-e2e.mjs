// End-to-end layer: the packaged VSIX installed in code-server, driven by Chromium like a person.
// Usage: node scripts/run-e2e.mjs [--grep PATTERN] [--no-build]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VIEWPORT, launchBrowser } from './lib/browser.mjs';
import { installVsix, startCodeServer } from './lib/codeServer.mjs';
import { ensureTestEnvironment, resultsDir, root } from './lib/env.mjs';
import { findTests, runMocha } from './lib/mocha.mjs';
import { freshWorkspace } from './lib/workspace.mjs';
import { packageVsix } from './package.mjs';

const args = process.argv.slice(2);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;

if (!args.includes('--no-build')) execFileSync('node', ['esbuild.js'], { cwd: root, stdio: 'inherit' });
ensureTestEnvironment();
const vsix = packageVsix({ quiet: true });
fs.mkdirSync(resultsDir, { recursive: true });

// Each test file gets its own code-server (its own user data: settings, layout, recently used
// commands), as a person's fresh VS Code would be; the browser gives each page a fresh context.
const browser = await launchBrowser();
const result = { passed: 0, failed: 0 };
try {
  for (const file of findTests(path.join(root, 'dist', 'test', 'e2e'))) {
    const server = await startCodeServer({ smokeTestDriver: false });
    try {
      await installVsix(vsix, server.extensionsDir);
      globalThis.__promptLensE2e = {
        serverUrl: server.url,
        browser: { newPage: () => browser.newPage({ viewport: VIEWPORT }) },
        freshWorkspace: () => freshWorkspace(),
        userDataDir: server.userDataDir,
      };
      const counts = await runMocha([file], { timeout: 90_000, ...(grep ? { grep } : {}) });
      result.passed += counts.passed;
      result.failed += counts.failed;
      if (counts.loadError) {
        // One file that cannot load stops only its own tests, and says so.
        console.log(`e2e: ${path.basename(file)} DID NOT LOAD: ${counts.loadError}`);
        result.failed += 1;
      }
    } finally {
      server.stop();
    }
  }
} catch (error) {
  console.error(error);
  result.failed += 1;
} finally {
  await browser.close();
}
fs.writeFileSync(path.join(resultsDir, 'e2e.json'), JSON.stringify(result));
console.log(`e2e: ${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed === 0 ? 0 : 1);
