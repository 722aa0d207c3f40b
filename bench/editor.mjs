// npm run bench:editor: the editor's hot paths, timed inside the real VS Code (code-server's extension
// host) against a baseline measured in the same window:
//   - hover over generated tokens (2,000 in the document) vs. the bare hover round trip there;
//   - Show Tokens: hover ids and painting 5,000 tokens vs. bare setDecorations of precomputed ranges;
//   - the explanation heat map: 5,000 scored spans following an edit (goal < 16 ms) vs. bare
//     setDecorations of the same number of precomputed ranges over the same 8 colour steps.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCodeServer } from '../scripts/lib/codeServer.mjs';
import { ensureTestEnvironment, root } from '../scripts/lib/env.mjs';
import { buildExtensionAndProbe, runProbe } from './codeServerProbe.mjs';

const FRAME_MS = 16;

const probe = await buildExtensionAndProbe('editorProbe');
ensureTestEnvironment();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-bench-editor-'));
const out = path.join(tmp, 'result.json');
const workspace = path.join(tmp, 'workspace');
fs.mkdirSync(workspace);
const server = await startCodeServer({
  env: {
    PROMPT_LENS_BENCH_OUT: out,
    ...(process.env.ROUNDS ? { PROMPT_LENS_BENCH_ROUNDS: process.env.ROUNDS } : {}),
  },
});
try {
  await runProbe(server, { folder: workspace, extensionPaths: [root], testsPath: probe, timeoutMs: 300_000 });
} finally {
  server.stop();
}

const r = JSON.parse(fs.readFileSync(out, 'utf8'));
const ms = (t) => `median ${t.median.toFixed(2)} ms, p95 ${t.p95.toFixed(2)} ms`;
const ratio = (a, b) => `${(a.median / b.median).toFixed(2)}x`;
console.log(`rounds: ${r.heat.editUpdate.samples} per measurement, one window`);
console.log('\nHover over a generated token (%d tokens in the document)', r.hoverGenerated.tokens);
console.log(`  baseline: hover round trip, no token there   ${ms(r.hoverGenerated.baseline)}`);
console.log(
  `  token hover                                  ${ms(r.hoverGenerated.measured)}  (${ratio(r.hoverGenerated.measured, r.hoverGenerated.baseline)} the baseline)`,
);
console.log('\nShow Tokens (%d tokens, %d decorations)', r.tokens.tokens, r.tokens.decorations);
console.log(`  baseline: bare setDecorations, 2 types       ${ms(r.tokens.paintBaseline)}`);
console.log(
  `  align + paint all tokens                     ${ms(r.tokens.paint)}  (${ratio(r.tokens.paint, r.tokens.paintBaseline)} the baseline)`,
);
console.log(`  baseline: hover round trip, nothing shown    ${ms(r.tokens.hoverBaseline)}`);
console.log(
  `  token id hover                               ${ms(r.tokens.hover)}  (${ratio(r.tokens.hover, r.tokens.hoverBaseline)} the baseline)`,
);
console.log(
  '\nExplanation heat map after an edit (%d scored spans, %d painted, %d still painted after the edits)',
  r.heat.spans,
  r.heat.painted,
  r.heat.followedAfterEdits,
);
console.log(`  baseline: bare setDecorations, 8 steps       ${ms(r.heat.paintBaseline)}`);
console.log(`  applyTextChanges alone (core)                ${ms(r.heat.applyTextChanges)}`);
console.log(
  `  HeatmapController edit update (shift+paint)  ${ms(r.heat.editUpdate)}  (${ratio(r.heat.editUpdate, r.heat.paintBaseline)} the baseline)`,
);
const ok = r.heat.editUpdate.median < FRAME_MS;
console.log(`\nheat update after an edit: ${ok ? 'under' : 'NOT under'} ${FRAME_MS} ms (median)`);
process.exit(ok ? 0 : 1);
