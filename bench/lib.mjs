// Shared by the benchmarks: the repository root, command-line options, bundling the TypeScript a
// benchmark measures into dist/bench (dependencies stay external, as in the extension), and a test
// server in a child process.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** `--name value` from the command line, else `fallback`. */
export function option(name, fallback) {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] !== undefined ? args[index + 1] : fallback;
}

/** Bundles `entry` (a file) or `contents` (TypeScript source resolved from the root) to `outfile`. */
export async function bundleForBench({ outfile, entry, contents }) {
  const esbuild = require('esbuild');
  await esbuild.build({
    ...(entry
      ? { entryPoints: [entry] }
      : {
          stdin: {
            contents,
            resolveDir: root,
            sourcefile: path.basename(outfile, '.cjs') + '-entry.ts',
            loader: 'ts',
          },
        }),
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    define: { PROMPT_LENS_VERSION: JSON.stringify(require(path.join(root, 'package.json')).version) },
  });
}

/** Whether `--name` is on the command line. */
export function flag(name) {
  return process.argv.slice(2).includes(`--${name}`);
}

/**
 * A fresh llama.cpp test server in a child process (so that its model's work does not slow the
 * client): runs the benchmark script at `scriptUrl` again with `--serve` and this run's options; that
 * run calls serveTestServer. `stats()` asks the server for its counters.
 */
export function startTestServerProcess(scriptUrl) {
  const child = fork(fileURLToPath(scriptUrl), ['--serve', ...process.argv.slice(2)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the test server exited (${code})`)));
    child.once('message', (url) =>
      resolve({
        url,
        stats: () =>
          new Promise((done) => {
            child.once('message', done);
            child.send('stats');
          }),
        close: () =>
          new Promise((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      }),
    );
  });
}

/**
 * The `--serve` side of startTestServerProcess: starts the test server bundled at `bundlePath` (which
 * exports startLlamaCppServer) with `options`, reports its URL, answers each message with its stats
 * and closes on SIGTERM.
 */
export async function serveTestServer(bundlePath, options) {
  const server = await require(bundlePath).startLlamaCppServer(options);
  process.on('message', () => process.send(server.stats()));
  process.send(server.url);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
