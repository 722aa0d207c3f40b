// Runs inside the extension host (as the "tests" module of a workbench window): activates the empty
// extension and Prompt Lens in the order given, timing each and counting the JavaScript each loads.
const fs = require('node:fs');
const vscode = require('vscode');

async function measure(id) {
  const extension = vscode.extensions.getExtension(id);
  if (!extension) throw new Error(`extension ${id} not found`);
  const before = new Set(Object.keys(require.cache));
  const started = performance.now();
  const api = await extension.activate();
  const ms = performance.now() - started;
  const loaded = Object.keys(require.cache).filter(
    (file) => !before.has(file) && file.startsWith(extension.extensionPath),
  );
  const bytes = loaded.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  return {
    id,
    ms,
    bytes,
    files: loaded.length,
    insideActivateMs: api && typeof api.activationMs === 'number' ? api.activationMs : undefined,
    steps: api && typeof api.activationSteps === 'object' ? api.activationSteps : undefined,
  };
}

exports.run = async function run() {
  const order = JSON.parse(process.env.PROMPT_LENS_BENCH_ORDER);
  // Let the workbench finish starting its own extensions so they do not share the measured time.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const results = [];
  for (const id of order) results.push(await measure(id));
  fs.writeFileSync(process.env.PROMPT_LENS_BENCH_OUT, JSON.stringify(results));
};
