// `npm start`: builds and packages Prompt Lens, starts code-server on 127.0.0.1 with the VSIX
// installed and a temporary copy of examples/ open, and prints the URL to open. Stops with Ctrl+C,
// removing the copy (the repository's files are never edited by the demo).
import * as path from 'node:path';
import { ensureDependencies } from './lib/bootstrap.mjs';

ensureDependencies();
const { ensureTestEnvironment, root } = await import('./lib/env.mjs');
const { freePort, installVsix, startCodeServer } = await import('./lib/codeServer.mjs');
const { packageVsix } = await import('./package.mjs');
const { startDemoBackend } = await import('./lib/demoBackend.mjs');
const { createDemoWorkspace } = await import('./lib/demoWorkspace.mjs');

ensureTestEnvironment();
const vsix = packageVsix({ quiet: true });
const demo = await startDemoBackend();
const wanted = Number(process.env.PORT ?? 9080);
const port = (await isFree(wanted)) ? wanted : await freePort();
const settings = { ...demo.settings, 'workbench.welcomePage.walkthroughs.openOnInstall': true };
const server = await startCodeServer({ port, smokeTestDriver: false, settings });
await installVsix(vsix, server.extensionsDir);

const workspace = createDemoWorkspace(path.join(root, 'examples'));
const folder = workspace.folder;
console.log(`\nPrompt Lens ${path.basename(vsix)} is installed in VS Code (code-server).`);
console.log(`The examples are a copy in ${folder}: edit freely; it is removed when this stops.`);
if (demo.note) console.log(demo.note);
console.log(`\nOpen: ${server.url}/?folder=${encodeURIComponent(folder)}\n`);
console.log('Press Ctrl+C to stop.');

const stop = () => {
  server.stop();
  demo.stop();
  workspace.remove();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.child.on('exit', (code) => {
  console.error(`code-server exited (${code})`);
  server.stop();
  demo.stop();
  workspace.remove();
  process.exit(1);
});

async function isFree(candidate) {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(candidate, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
