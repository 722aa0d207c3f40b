// Explanation by occlusion: wall time and prompt tokens processed for each scheduling strategy,
// against the lower bound (every distinct prompt prefix processed once), on a 30-segment prompt of
// about 600 tokens. By default each run gets a freshly started llama.cpp test server in its own
// process (2 slots, with a simulated cost per prompt token so that time means something); `--url`
// measures a real llama.cpp server instead (restart it between runs for cold caches: `--strategy`
// and `--runs 1` help script that).
// Usage: npm run bench:explain [-- --url URL] [--runs 3] [--strategy concurrent] [--ms-per-token 0.25] [--json]
import { createRequire } from 'node:module';
import path from 'node:path';
import { bundleForBench, flag, option, root, serveTestServer, startTestServerProcess } from './lib.mjs';

const require = createRequire(import.meta.url);
const URL_ARG = option('url', undefined);
const RUNS = Number(option('runs', 3));
const MS_PER_PROMPT_TOKEN = Number(option('ms-per-token', 0.25));
const MS_PER_PREDICTED_TOKEN = Number(option('ms-per-predicted-token', 1));
const SLOTS = Number(option('slots', 2));
const TARGET = option('target', ' The cat sat on the mat');
const bundlePath = path.join(root, 'dist', 'bench', 'explain.cjs');

async function bundle() {
  await bundleForBench({
    outfile: bundlePath,
    contents: [
      "export { LlamaCppBackend } from './src/core/backends/llamaCpp';",
      "export { explainByOcclusion, planOcclusion } from './src/core/explain/occlusion';",
      "export { OCCLUSION_STRATEGIES } from './src/core/explain/schedule';",
      "export { promptTokenLowerBound } from './src/core/explain/lowerBound';",
      "export { segment } from './src/core/segment';",
      "export { startLlamaCppServer } from './test/fixtures/llamaCpp';",
      "export { longPrompt } from './test/unit/core/explain/longPrompt';",
    ].join('\n'),
  });
}

/** The server's own tokenization of what a scoring call sends (as the backend splits prompt and target). */
async function scoredPromptIds(url, prompt) {
  const tokenize = async (content) => {
    const reply = await fetch(`${url}/tokenize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ content, add_special: true, parse_special: true }),
    });
    const body = await reply.json();
    return body.tokens.map((t) => (typeof t === 'number' ? t : t.id));
  };
  const [joint, alone] = await Promise.all([tokenize(prompt + TARGET), tokenize(prompt)]);
  let n = 0;
  while (n < joint.length && n < alone.length && joint[n] === alone[n]) n++;
  return joint.slice(0, n);
}

function serve() {
  return serveTestServer(bundlePath, {
    slots: SLOTS,
    msPerPromptToken: MS_PER_PROMPT_TOKEN,
    msPerPredictedToken: MS_PER_PREDICTED_TOKEN,
  });
}

/** Best effort on a real server: forget every slot's cache (its host-memory cache may remain). */
async function eraseSlots(url, slots) {
  for (let id = 0; id < slots; id++)
    await fetch(`${url}/slots/${id}?action=erase`, { method: 'POST' }).catch(() => undefined);
}

async function main() {
  await bundle();
  const lib = require(bundlePath);
  const prompt = lib.longPrompt(30, 18);
  const spans = lib.segment(prompt, { type: 'sentence' });
  const prompts = [prompt, ...spans.map((s) => prompt.slice(0, s.start) + prompt.slice(s.start + s.length))];
  const only = option('strategy', undefined);
  const strategies = only ? [only] : lib.OCCLUSION_STRATEGIES;
  const rows = [];
  let bound;
  let promptTokens;
  for (const strategy of strategies) {
    for (let run = 0; run < RUNS; run++) {
      const server = URL_ARG ? undefined : await startTestServerProcess(import.meta.url);
      const url = URL_ARG ?? server.url;
      const backend = new lib.LlamaCppBackend({ url, timeouts: { bodyMs: 600_000, headersMs: 600_000 } });
      try {
        if (bound === undefined) {
          const ids = await Promise.all(prompts.map((p) => scoredPromptIds(url, p)));
          promptTokens = ids[0].length;
          bound = lib.promptTokenLowerBound(ids);
        }
        const info = await backend.serverInfo();
        if (URL_ARG) await eraseSlots(url, info.totalSlots ?? SLOTS);
        const began = performance.now();
        const result = await lib.explainByOcclusion(
          backend,
          { prompt, target: TARGET, granularity: { type: 'sentence' } },
          { strategy },
        );
        const wallMs = performance.now() - began;
        rows.push({
          strategy,
          run,
          wallMs,
          promptTokensProcessed: result.cost.promptTokensProcessed,
          calls: result.cost.calls,
        });
      } finally {
        await backend.close();
        await server?.close();
      }
    }
  }
  const summary = strategies.map((strategy) => {
    const mine = rows.filter((r) => r.strategy === strategy);
    const walls = mine.map((r) => r.wallMs).sort((a, b) => a - b);
    const tokens = mine.map((r) => r.promptTokensProcessed);
    return {
      strategy,
      runs: mine.length,
      medianWallMs: walls[Math.floor(walls.length / 2)],
      minWallMs: walls[0],
      maxWallMs: walls[walls.length - 1],
      promptTokensProcessed: Math.max(...tokens),
      overLowerBound: Math.max(...tokens) / bound,
    };
  });
  const fastest = Math.min(...summary.map((s) => s.medianWallMs));
  for (const s of summary) s.vsFastest = s.medianWallMs / fastest;
  const header = {
    server:
      URL_ARG ??
      `test server (${SLOTS} slots, ${MS_PER_PROMPT_TOKEN} ms/prompt token, ${MS_PER_PREDICTED_TOKEN} ms/predicted token)`,
    segments: spans.length,
    promptTokens,
    lowerBound: bound,
  };
  if (flag('json')) {
    console.log(JSON.stringify({ ...header, summary, rows }));
    return;
  }
  if (URL_ARG && summary.some((s) => s.overLowerBound < 1))
    console.log(
      'note: fewer tokens than the cold-cache bound: the server kept caches from an earlier run (restart it between runs).',
    );
  console.log(
    `${header.server}: ${header.segments} segments, ${promptTokens} prompt tokens, lower bound ${bound} prompt tokens processed`,
  );
  console.log('strategy      runs   median ms  (min..max)           tokens processed  ×bound  ×fastest');
  for (const s of summary) {
    console.log(
      `${s.strategy.padEnd(12)}  ${String(s.runs).padStart(4)}  ${s.medianWallMs.toFixed(0).padStart(10)}  (${s.minWallMs.toFixed(0)}..${s.maxWallMs.toFixed(0)})`.padEnd(
        54,
      ) +
        `${String(s.promptTokensProcessed).padStart(16)}  ${s.overLowerBound.toFixed(3)}  ${s.vsFastest.toFixed(2)}`,
    );
  }
}

(flag('serve') ? serve() : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
