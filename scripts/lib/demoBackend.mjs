// The demo backend of `npm start`: when nothing answers at the default llama.cpp URL, the project's
// llama.cpp test server (a small simulated model) is started and a profile for it is selected.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from './codeServer.mjs';
import { root } from './env.mjs';

const DEFAULT_URL = 'http://127.0.0.1:8080';
/** The same name as `DEMO_PROFILE_NAME` in src/core/profile.ts (the status bar shows it). */
const DEMO_PROFILE_NAME = 'demo (simulated model)';
const SERVER_CLI = path.join(root, 'test', 'fixtures', 'llamaCpp', 'cli.ts');
const BUNDLE = path.join(root, 'dist', 'demo-server.js');

/** Whether anything answers HTTP at `url` within `timeoutMs` (any status: a server is there). */
async function answers(url, timeoutMs = 700) {
  try {
    await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

function defaultProfiles() {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const sections = [manifest.contributes?.configuration ?? []].flat();
  const setting = sections.map((section) => section.properties?.['promptLens.profiles']).find(Boolean);
  return Array.isArray(setting?.default) ? setting.default : [];
}

/**
 * The user settings of the demo with the simulated server at `url`: its profile, active, before the
 * default ones. The examples must run on it (test/unit/scripts/demoExamples.test.ts checks).
 */
export function demoSettings(url) {
  const demo = { name: DEMO_PROFILE_NAME, kind: 'llama-cpp', url };
  return {
    'promptLens.profiles': [demo, ...defaultProfiles()],
    'promptLens.activeProfile': DEMO_PROFILE_NAME,
  };
}

async function bundleServer() {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [SERVER_CLI],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
}

async function waitForHealth(url, child, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the demo server exited with ${child.exitCode}`);
    if (await answers(`${url}/health`, 500)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the demo server did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/**
 * @returns {Promise<{ settings: object, note: string, stop(): void }>} user settings to add, a line
 *   for the console, and what stops the server (nothing when a real server is used).
 */
export async function startDemoBackend() {
  if (await answers(`${DEFAULT_URL}/health`)) {
    return {
      settings: {},
      note: `Using the llama.cpp server that answers at ${DEFAULT_URL} (profile "llama.cpp (local)").`,
      stop() {},
    };
  }
  if (!fs.existsSync(SERVER_CLI)) {
    return {
      settings: {},
      note: `No llama.cpp server answers at ${DEFAULT_URL}, and the simulated one (${path.relative(root, SERVER_CLI)}) is missing: start a server or select another profile.`,
      stop() {},
    };
  }
  await bundleServer();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BUNDLE, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('exit', stop);
  try {
    await waitForHealth(url, child);
  } catch (error) {
    stop();
    throw error;
  }
  return {
    settings: demoSettings(url),
    note: `No llama.cpp server answers at ${DEFAULT_URL}: a simulated model is in use (profile "${DEMO_PROFILE_NAME}" at ${url}). Its completions are not a real model's; start llama.cpp and select "llama.cpp (local)" for real ones.`,
    stop,
  };
}
