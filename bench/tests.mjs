// Prompt tests: 200 cases (a shared few-shot prefix, one variable each; a completion check, a logprob
// and a beats assertion per case) on the llama.cpp test server (2 slots, simulated cost per prompt
// token), run by `runPromptTests` as the CLI runs them (concurrency = slots, cases sorted by prompt,
// scoring batched per scored text) against running the same cases one at a time (one case after
// another, each request alone). Prints the wall-time ratio and prompt tokens processed against the
// no-cache total (every prompt token of every request, as the server counts them).
// Usage: npm run bench:tests [-- --cases 200] [--slots 2] [--ms-per-token 2] [--ms-per-predicted-token 40] [--json]
import { createRequire } from 'node:module';
import path from 'node:path';
import { bundleForBench, flag, option, root, serveTestServer, startTestServerProcess } from './lib.mjs';

const require = createRequire(import.meta.url);
const CASES = Number(option('cases', 200));
const SLOTS = Number(option('slots', 2));
const MS_PER_PROMPT_TOKEN = Number(option('ms-per-token', 2));
const MS_PER_PREDICTED_TOKEN = Number(option('ms-per-predicted-token', 40));
const bundlePath = path.join(root, 'dist', 'bench', 'tests.cjs');

const WORDS = [
  'battery',
  'screen',
  'delivery',
  'price',
  'sound',
  'camera',
  'strap',
  'charger',
  'manual',
  'colour',
];
const VERDICTS = [
  'lasts for days',
  'broke in a week',
  'is exactly as described',
  'arrived scratched',
  'works fine',
];

function promptSource(cases) {
  const shots = Array.from(
    { length: 12 },
    (_, i) =>
      `Review: The ${WORDS[i % 10]} ${VERDICTS[i % 5]}.\nSentiment: ${i % 2 ? 'negative' : 'positive'}\n`,
  ).join('\n');
  const lines = Array.from({ length: cases }, (_, i) => {
    const review = `The ${WORDS[i % 10]} ${VERDICTS[(i * 7) % 5]} and the ${WORDS[(i * 3 + 1) % 10]} ${VERDICTS[(i * 11 + 2) % 5]} (${i}).`;
    return `  - { name: "case ${i}", vars: { review: ${JSON.stringify(review)} }, expect: [{ notContains: "<none>" }, { logprob: { of: " positive", min: -1000 } }, { beats: { of: " positive", others: [" negative"], margin: -1000 } }] }`;
  });
  return `---\nparams: { n_predict: 2 }\ntests:\n${lines.join('\n')}\n---\nClassify the sentiment of each review as positive or negative.\n\n${shots}\nReview: {{ review }}\nSentiment:`;
}

async function bundle() {
  await bundleForBench({
    outfile: bundlePath,
    contents: [
      "export { LlamaCppBackend } from './src/core/backends/llamaCpp';",
      "export { coreTestBackend, parseTestSuite, runPromptTests } from './src/core/promptTests';",
      "export { startLlamaCppServer } from './test/fixtures/llamaCpp';",
    ].join('\n'),
  });
}

function serve() {
  return serveTestServer(bundlePath, {
    slots: SLOTS,
    msPerPromptToken: MS_PER_PROMPT_TOKEN,
    msPerPredictedToken: MS_PER_PREDICTED_TOKEN,
  });
}

async function measure(lib, mode, source) {
  const server = await startTestServerProcess(import.meta.url);
  const backend = new lib.LlamaCppBackend({
    url: server.url,
    timeouts: { bodyMs: 600_000, headersMs: 600_000 },
  });
  try {
    const cases = lib.parseTestSuite(source, 'bench.prompt').cases;
    const began = performance.now();
    let passed = 0;
    let calls = 0;
    if (mode === 'runner') {
      const report = await lib.runPromptTests(lib.coreTestBackend(backend), [
        { file: 'bench.prompt', source, cases },
      ]);
      passed = report.summary.passed;
      calls = report.cost.calls;
    } else {
      const single = lib.coreTestBackend(backend, { scoreBatchSize: 1 });
      const oneByOne = { ...single, scoreBatchSize: 1 };
      for (const testCase of cases) {
        const report = await lib.runPromptTests(
          oneByOne,
          [{ file: 'bench.prompt', source, cases: [testCase] }],
          { concurrency: 1 },
        );
        passed += report.summary.passed;
        calls += report.cost.calls;
      }
    }
    const wallMs = performance.now() - began;
    const stats = await server.stats();
    return {
      mode,
      wallMs,
      passed,
      calls,
      processed: stats.promptTokensProcessed,
      noCacheTotal: stats.promptTokensProcessed + stats.promptTokensCached,
    };
  } finally {
    await backend.close();
    await server.close();
  }
}

async function main() {
  await bundle();
  const lib = require(bundlePath);
  const source = promptSource(CASES);
  const oneAtATime = await measure(lib, 'one at a time', source);
  const runner = await measure(lib, 'runner', source);
  for (const r of [oneAtATime, runner])
    if (r.passed !== CASES) throw new Error(`${r.mode}: ${r.passed} of ${CASES} cases passed`);
  const result = {
    server: `test server (${SLOTS} slots, ${MS_PER_PROMPT_TOKEN} ms/prompt token, ${MS_PER_PREDICTED_TOKEN} ms/predicted token)`,
    cases: CASES,
    oneAtATime,
    runner,
    speedup: oneAtATime.wallMs / runner.wallMs,
    processedOverNoCache: runner.processed / runner.noCacheTotal,
  };
  if (flag('json')) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`${result.server}, ${CASES} cases (1 completion + 2 scored texts each)`);
  for (const r of [oneAtATime, runner])
    console.log(
      `${r.mode.padEnd(14)} ${r.wallMs.toFixed(0).padStart(7)} ms  ${String(r.calls).padStart(4)} calls  ${String(r.processed).padStart(7)} prompt tokens processed of ${r.noCacheTotal} sent`,
    );
  console.log(`wall time: runner is ${result.speedup.toFixed(2)}x faster than one at a time`);
  console.log(
    `prompt tokens processed / no-cache total: ${result.processedOverNoCache.toFixed(3)} (runner), ${(oneAtATime.processed / oneAtATime.noCacheTotal).toFixed(3)} (one at a time)`,
  );
}

(flag('serve') ? serve() : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
