// Rendering a 1 MB `.prompt` template with its full source map, against liquidjs rendering the
// same template alone (same engine options, no map, no diagnostics) in the same run.
// Each side runs in its own child process so that peak memory is its own.
// Usage: npm run bench:render [-- --runs 5 --size 1000000]
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBench, option, root } from './lib.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const RUNS = Number(option('runs', 5));
const SIZE = Number(option('size', 1_000_000));
const bundlePath = path.join(root, 'dist', 'bench', 'promptFile.cjs');

/** A realistic prompt, repeated to SIZE characters: front matter, few-shot loop, ranges, filters. */
function template(size) {
  const head = [
    '---',
    'model: luminous-base',
    'params: { maximum_tokens: 64, temperature: 0 }',
    'vars:',
    '  task: Classify the sentiment of each review.',
    '  examples:',
    ...Array.from(
      { length: 8 },
      (_, i) =>
        `    - { text: "Review number ${i} says the product is ${i % 2 ? 'great' : 'awful'} 😀", label: ${i % 2 ? 'positive' : 'negative'} }`,
    ),
    '  review: The battery died after two days.',
    '---',
    '',
  ].join('\n');
  const block = (i) =>
    `{% promptrange part${i % 10} %}Section ${i}: {{ task | upcase }}\n` +
    `{% for example in examples %}Review: {{ example.text }}\nSentiment: {{ example.label }}\n{% endfor %}` +
    `{% if review %}Now: {{ review | truncate: 40 }}{% endif %} plain text that the model reads as it is, 東京.\n{% endpromptrange %}\n`;
  let body = '';
  for (let i = 0; head.length + body.length < size; i++) body += block(i);
  return head + body;
}

async function bundle() {
  await bundleForBench({ outfile: bundlePath, entry: path.join(root, 'src/core/promptFile/index.ts') });
}

/** Child: renders RUNS times, reports the median time and its peak memory. */
async function child(mode) {
  const source = template(SIZE);
  const { renderPromptFile, splitFrontMatter } = require(bundlePath);
  const { Liquid } = require('liquidjs');
  const YAML = require('yaml');
  const baseline = async () => {
    // The baseline also reads the front matter for its variables, as any renderer of the format must.
    const split = splitFrontMatter(source);
    const vars = split.yaml ? YAML.parse(split.yaml.text).vars : {};
    const liquid = new Liquid({
      strictVariables: true,
      strictFilters: true,
      lenientIf: true,
      ownPropertyOnly: true,
      locale: 'en-US',
    });
    liquid.registerTag('promptrange', {
      parse(token, remain) {
        this.tpls = [];
        const stream = this.liquid.parser
          .parseStream(remain)
          .on('template', (t) => this.tpls.push(t))
          .on('tag:endpromptrange', () => stream.stop());
        stream.start();
      },
      *render(ctx, emitter) {
        yield this.liquid.renderer.renderTemplates(this.tpls, ctx, emitter);
      },
    });
    const text = await liquid.parseAndRender(source.slice(split.bodyStart), vars);
    return { text, entries: 0 };
  };
  const ours = async () => {
    const result = await renderPromptFile(source);
    if (result.diagnostics.some((d) => d.severity === 'error'))
      throw new Error(result.diagnostics[0].message);
    return { text: result.text, entries: result.map.length, ranges: result.ranges.length };
  };
  const run = mode === 'baseline' ? baseline : ours;
  const rssBefore = process.memoryUsage().rss;
  let out = await run(); // warm-up
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    out = await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  (process.send ?? ((m) => console.log(m))).call(process, {
    mode,
    sourceLength: source.length,
    textLength: out.text.length,
    entries: out.entries,
    ranges: out.ranges ?? 0,
    medianMs: times[Math.floor(times.length / 2)],
    minMs: times[0],
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rssBeforeMb: rssBefore / 1048576,
  });
}

function measure(mode) {
  return new Promise((resolve, reject) => {
    const proc = fork(
      fileURLToPath(import.meta.url),
      ['--child', mode, '--runs', String(RUNS), '--size', String(SIZE)],
      { cwd: root, execArgv: ['--max-old-space-size=4096'] },
    );
    proc.on('message', resolve);
    proc.on('error', reject);
    proc.on('exit', (code) => code !== 0 && reject(new Error(`${mode} exited with ${code}`)));
  });
}

async function main() {
  const childIndex = args.indexOf('--child');
  if (childIndex >= 0) return child(args[childIndex + 1]);
  await bundle();
  const base = await measure('baseline');
  const ours = await measure('ours');
  const mb = (n) => `${n.toFixed(1)} MB`;
  console.log(
    `template: ${(base.sourceLength / 1e6).toFixed(2)} MB source -> ${(ours.textLength / 1e6).toFixed(2)} MB rendered; ${ours.entries} map entries, ${ours.ranges} ranges; median of ${RUNS} runs`,
  );
  console.log(
    `baseline (liquidjs render, no map): ${base.medianMs.toFixed(0)} ms (min ${base.minMs.toFixed(0)}), peak RSS ${mb(base.peakRssMb)} (+${mb(base.peakRssMb - base.rssBeforeMb)})`,
  );
  console.log(
    `renderPromptFile (map, ranges, diagnostics): ${ours.medianMs.toFixed(0)} ms (min ${ours.minMs.toFixed(0)}), peak RSS ${mb(ours.peakRssMb)} (+${mb(ours.peakRssMb - ours.rssBeforeMb)})`,
  );
  console.log(
    `ratio: time ${(ours.medianMs / base.medianMs).toFixed(2)}x, peak RSS ${(ours.peakRssMb / base.peakRssMb).toFixed(2)}x`,
  );
  if (ours.textLength !== base.textLength) {
    console.error(`mismatch: rendered ${ours.textLength} vs baseline ${base.textLength} characters`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
