// Shared by the benchmarks that measure inside the real VS Code (code-server's extension host): a
// probe bundled from bench/*.ts, and one window that runs it as its tests until it exits.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { VIEWPORT, launchBrowser } from '../scripts/lib/browser.mjs';
import { developmentUrl } from '../scripts/lib/codeServer.mjs';
import { root } from '../scripts/lib/env.mjs';

/** Builds the extension, then bench/<name>.ts (all but `vscode` inlined) to dist/bench/<name>.js; returns that path. */
export async function buildExtensionAndProbe(name) {
  execFileSync('node', ['esbuild.js', '--no-tests'], { cwd: root, stdio: 'inherit' });
  const probe = path.join(root, 'dist', 'bench', `${name}.js`);
  await esbuild.build({
    entryPoints: [path.join(root, 'bench', `${name}.ts`)],
    outfile: probe,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    define: {
      PROMPT_LENS_VERSION: JSON.stringify(
        JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version,
      ),
    },
    logLevel: 'warning',
  });
  return probe;
}

/**
 * Opens `folder` in a browser window on the running code-server `server`, with the development
 * extensions `extensionPaths` and the probe `testsPath` as its tests, and waits up to `timeoutMs` for
 * the probe to exit. Throws, naming `what`, unless it exits with 0. DEBUG_CONSOLE=1 echoes the
 * window's console.
 */
export async function runProbe(server, { folder, extensionPaths, testsPath, timeoutMs, what = 'the probe' }) {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const exited = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (code) => resolve(code)).catch(() => {});
    });
    if (process.env.DEBUG_CONSOLE) page.on('console', (m) => console.log(m.text().slice(0, 400)));
    await page.goto(developmentUrl(server.url, { folder, extensionPaths, testsPath }));
    const code = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs)),
    ]);
    if (code !== 0) throw new Error(`${what} ended with ${code} (run with DEBUG_CONSOLE=1 to see why)`);
  } finally {
    await browser.close();
  }
}
