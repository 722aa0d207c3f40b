// npm run bench:render: rendering 1, 2, 4 and 8 MB `.prompt` templates with the full source map,
// against liquidjs rendering the same template alone (stock parser, no map, no diagnostics) in the
// same run. Each measurement runs in its own child process so that peak memory is its own; a
// baseline that needs longer than --baseline-cap seconds is stopped and reported as such (stock
// liquidjs parses in quadratic time). Then the extension host's longest event-loop stall while an
// 8 MB `.prompt` file is open and typed in, measured inside the real VS Code (bench/renderStall.mjs).
// Usage: npm run bench:render [-- --runs 1 --sizes 1,2,4,8 --baseline-cap 120 --no-stall]
import { fork, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBench, option, root } from './lib.mjs';
import { benchTemplate } from './renderTemplate.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const RUNS = Number(option('runs', 1));
const SIZES = String(option('sizes', '1,2,4,8')).split(',').map(Number);
const BASELINE_CAP_S = Number(option('baseline-cap', 120));
const MB = 1024 * 1024;
const bundlePath = path.join(root, 'dist', 'bench', 'promptFile.cjs');

/** Child: renders RUNS times after a small warm-up, reports the median time and its peak memory. */
async function child(mode, size) {
  const { renderPromptFile, splitFrontMatter } = require(bundlePath);
  const { Liquid } = require('liquidjs');
  const YAML = require('yaml');
  const baseline = async (source) => {
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
  const ours = async (source) => {
    const result = await renderPromptFile(source);
    if (result.diagnostics.some((d) => d.severity === 'error'))
      throw new Error(result.diagnostics[0].message);
    return { text: result.text, entries: result.map.length, ranges: result.ranges.length };
  };
  const run = mode === 'baseline' ? baseline : ours;
  await run(benchTemplate(50_000)); // warm-up (JIT), small so that it leaves no memory behind
  const source = benchTemplate(size);
  const rssBefore = process.memoryUsage().rss;
  const times = [];
  const cpuTimes = [];
  let out;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    out = await run(source);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  process.send({
    sourceLength: source.length,
    textLength: out.text.length,
    entries: out.entries,
    ranges: out.ranges ?? 0,
    medianMs: times[Math.floor(times.length / 2)],
    cpuMs: cpuTimes[Math.floor(cpuTimes.length / 2)],
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rssBeforeMb: rssBefore / MB,
  });
}

function measure(mode, size, capSeconds) {
  return new Promise((resolve, reject) => {
    const proc = fork(
      fileURLToPath(import.meta.url),
      ['--child', mode, '--size', String(size), '--runs', String(RUNS)],
      {
        cwd: root,
        execArgv: ['--max-old-space-size=6144'],
      },
    );
    const timer = capSeconds ? setTimeout(() => proc.kill('SIGKILL'), capSeconds * 1000) : undefined;
    let result;
    proc.on('message', (m) => (result = m));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else if (signal === 'SIGKILL' && capSeconds) resolve({ stopped: true });
      else reject(new Error(`${mode} ${size} exited with ${code ?? signal}`));
    });
  });
}

async function main() {
  const childIndex = args.indexOf('--child');
  if (childIndex >= 0) return child(args[childIndex + 1], Number(option('size', MB)));
  await bundleForBench({ outfile: bundlePath, entry: path.join(root, 'src/core/promptFile/index.ts') });
  const rows = [];
  let baselineGaveUp = false;
  for (const mb of SIZES) {
    const size = mb * MB;
    const ours = await measure('ours', size);
    // Once the stock parser needed more than the cap, larger sizes need longer still.
    const base = baselineGaveUp
      ? { stopped: true, skipped: true }
      : await measure('baseline', size, BASELINE_CAP_S);
    if (base.stopped) baselineGaveUp = true;
    rows.push({ mb, ours, base });
    const baseText = base.stopped
      ? `stopped after ${BASELINE_CAP_S} s${base.skipped ? ' (not run: a smaller size already was)' : ''}`
      : `${base.medianMs.toFixed(0)} ms (CPU ${base.cpuMs.toFixed(0)} ms), peak RSS ${base.peakRssMb.toFixed(0)} MB`;
    console.log(
      `${mb} MB: renderPromptFile ${ours.medianMs.toFixed(0)} ms (CPU ${ours.cpuMs.toFixed(0)} ms), peak RSS ${ours.peakRssMb.toFixed(0)} MB (+${(ours.peakRssMb - ours.rssBeforeMb).toFixed(0)} MB); ` +
        `${ours.entries} map entries, ${(ours.textLength / MB).toFixed(1)} MB rendered | baseline (stock liquidjs, no map): ${baseText}` +
        (base.stopped ? '' : `; ratio ${(ours.medianMs / base.medianMs).toFixed(2)}x`),
    );
    if (!base.stopped && ours.textLength !== base.textLength) {
      console.error(
        `mismatch at ${mb} MB: rendered ${ours.textLength} vs baseline ${base.textLength} characters`,
      );
      process.exitCode = 1;
    }
  }
  const first = rows.find((r) => r.mb === 1);
  const last = rows.find((r) => r.mb === 8);
  let ok = true;
  if (first && last) {
    const scaling = last.ours.medianMs / first.ours.medianMs;
    ok = scaling <= 10;
    const baseScaling =
      !first.base.stopped && !last.base.stopped
        ? `${(last.base.medianMs / first.base.medianMs).toFixed(1)}`
        : `> ${((BASELINE_CAP_S * 1000) / first.base.medianMs).toFixed(1)} (stopped)`;
    const cpuScaling = last.ours.cpuMs / first.ours.cpuMs;
    console.log(
      `\ntime 8 MB / 1 MB: ${scaling.toFixed(2)} wall clock, ${cpuScaling.toFixed(2)} CPU (goal <= 10; linear is 8); stock liquidjs: ${first.base.stopped ? 'n/a' : baseScaling}`,
    );
  }
  if (!args.includes('--no-stall')) {
    console.log('\nextension host stall while an 8 MB .prompt file is open and typed in (real VS Code):');
    const stall = spawnSync(process.execPath, [path.join(root, 'bench', 'renderStall.mjs')], {
      cwd: root,
      stdio: 'inherit',
    });
    if (stall.status !== 0) ok = false;
  }
  if (!ok) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
