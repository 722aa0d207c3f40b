// Builds the bundles: the extension's activation shell, its lazily loaded features, the webview,
// the CLI, and the test suites. `--production` minifies and drops sourcemaps.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = !process.argv.includes('--no-tests');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  define: { PROMPT_LENS_VERSION: JSON.stringify(require('./package.json').version) },
};

/**
 * `import * as vscode from 'vscode'` bundles as esbuild's `__toESM(require('vscode'))`, which copies
 * every property of the API object (hundreds) into a new object, once per importing file: several
 * milliseconds at activation, more when the features load. As TypeScript's
 * `import vscode = require('vscode')` it is a plain require of the same object. Only the bundler sees
 * the rewrite; the sources keep the usual import.
 */
const plainVscodeRequire = {
  name: 'plain-vscode-require',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => ({
      contents: (await fs.promises.readFile(args.path, 'utf8')).replace(
        /^import \* as vscode from 'vscode';$/m,
        "import vscode = require('vscode');",
      ),
      loader: 'ts',
    }));
  },
};

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return /\.test\.ts$/.test(entry.name) ? [full] : [];
  });
}

const builds = [
  // Activation shell: tiny, loaded when VS Code activates the extension.
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', './features.js'],
    plugins: [plainVscodeRequire],
  },
  // Everything heavy (HTTP client, template engine, webview host), loaded on first use.
  {
    ...common,
    entryPoints: ['src/features/index.ts'],
    outfile: 'dist/features.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [plainVscodeRequire],
  },
  // The render worker thread: prompt files render off the extension host's event loop.
  {
    ...common,
    entryPoints: ['src/core/render/worker.ts'],
    outfile: 'dist/renderWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // Webview script: runs in the browser sandbox of the panel.
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  // Command-line tool over the same core.
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
];

if (withTests) {
  const unit = findTests('test/unit');
  if (unit.length)
    builds.push({
      ...common,
      minify: false,
      sourcemap: true,
      entryPoints: unit,
      outdir: 'dist/test/unit',
      outbase: 'test/unit',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
    });
  const integration = [
    ...findTests('test/integration'),
    'test/integration/index.ts',
    'test/integration/runElectron.ts',
  ].filter((f) => fs.existsSync(f));
  const e2e = [...findTests('test/e2e'), 'test/e2e/setup.ts'].filter((f) => fs.existsSync(f));
  if (e2e.length)
    builds.push({
      ...common,
      minify: false,
      sourcemap: true,
      entryPoints: e2e,
      outdir: 'dist/test/e2e',
      outbase: 'test/e2e',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
    });
  if (integration.length)
    builds.push({
      ...common,
      minify: false,
      sourcemap: true,
      entryPoints: integration,
      outdir: 'dist/test/integration',
      outbase: 'test/integration',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode', 'mocha', '@vscode/test-electron'],
    });
}

async function main() {
  // Test bundles of deleted test files must not linger and run.
  if (withTests) fs.rmSync('dist/test', { recursive: true, force: true });
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
    return;
  }
  await Promise.all(builds.map((options) => esbuild.build(options)));
  fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
