// Starts code-server (the real VS Code workbench and extension host) on 127.0.0.1 for tests,
// benchmarks and `npm start`, in its own process group so it can be stopped whole.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeServerEntry, codeServerEnv, node24 } from './env.mjs';
import { onExit } from './exitCleanup.mjs';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ port?: number, extensionsDir?: string, userDataDir?: string, smokeTestDriver?: boolean,
 *           settings?: object, env?: object, logFile?: string }} options
 */
export async function startCodeServer(options = {}) {
  const port = options.port ?? (await freePort());
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-cs-'));
  const userDataDir = options.userDataDir ?? path.join(tmp, 'ud');
  const extensionsDir = options.extensionsDir ?? path.join(tmp, 'ext');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'workbench.enableExperiments': false,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    // examples/ and test workspaces live inside a git checkout: no "open the parent repository?" toast.
    'git.openRepositoryInParentFolders': 'never',
    // Tests and benchmarks open what they need; `npm start` turns the first-run walkthrough back on.
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    ...options.settings,
  };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const args = [
    codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
  if (options.smokeTestDriver !== false) args.push('--vscode-option', 'enable-smoke-test-driver');
  const log = fs.openSync(options.logFile ?? path.join(tmp, 'code-server.log'), 'a');
  const child = spawn(node24, args, {
    env: codeServerEnv(options.env),
    stdio: ['ignore', log, log],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  // Stops the server and removes its temporary folder (user data, extensions, log): every test
  // run starts one server per file, and their folders would otherwise pile up in the temp dir.
  // Also on exit, however the runner ends (Ctrl+C, an uncaught error, a closed output pipe).
  const forget = onExit(() => stop());
  const stop = () => {
    forget();
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`code-server exited with ${child.exitCode}; see ${tmp}/code-server.log`);
    try {
      const reply = await fetch(`${url}/healthz`);
      if (reply.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error('code-server did not answer /healthz within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, port, tmp, userDataDir, extensionsDir, child, stop };
}

/** Installs a VSIX into an extensions folder with code-server's own CLI. */
export async function installVsix(vsix, extensionsDir) {
  const { execFileSync } = await import('node:child_process');
  execFileSync(
    node24,
    [codeServerEntry, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--force'],
    {
      env: codeServerEnv(),
      stdio: 'pipe',
    },
  );
}

/** The workbench URL that loads an extension under development and runs a test/bench module in it. */
export function developmentUrl(serverUrl, { folder, extensionPaths, testsPath }) {
  const payload = [
    ...extensionPaths.map((p) => ['extensionDevelopmentPath', `vscode-remote://remote${p}`]),
    ...(testsPath ? [['extensionTestsPath', `vscode-remote://remote${testsPath}`]] : []),
  ];
  const query = new URLSearchParams();
  if (folder) query.set('folder', folder);
  query.set('payload', JSON.stringify(payload));
  return `${serverUrl}/?${query.toString()}`;
}
