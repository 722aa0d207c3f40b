// Event-stream parsing scales linearly with the length of a line: a 40 MB line against a 10 MB line
// parsed in the same run (the baseline). Usage: npm run bench:sse [-- --mb 40 --chunk-kb 64].
// Goal: 40 MB / 10 MB time <= 6 (linear is 4; the old parser, rescanning its buffer per chunk, was 16).
import { createRequire } from 'node:module';
import path from 'node:path';
import { bundleForBench, option, root } from './lib.mjs';

const require = createRequire(import.meta.url);
const MB = Number(option('mb', 40));
const CHUNK = Number(option('chunk-kb', 64)) * 1024;
const outfile = path.join(root, 'dist', 'bench', 'sse.cjs');

await bundleForBench({ outfile, contents: "export { SseParser } from './src/core/http/sse';" });
const { SseParser } = require(outfile);

/** Parses `bytes` pushed in CHUNK-sized pieces; returns milliseconds and the events seen. */
function parse(bytes) {
  // No event limit here: this measures the parser's scaling, not its cap.
  const parser = new SseParser(Number.MAX_SAFE_INTEGER);
  const started = process.hrtime.bigint();
  let events = 0;
  for (let at = 0; at < bytes.length; at += CHUNK)
    events += parser.push(bytes.subarray(at, at + CHUNK)).length;
  events += parser.end().length;
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, events };
}

const line = (mb) => Buffer.from(`data: ${'x'.repeat(mb * 1024 * 1024)}\n\n`);
const shortLine = `data: ${'x'.repeat(1018)}\n\n`;
const shortLines = Buffer.from(shortLine.repeat(Math.ceil((MB * 1024 * 1024) / shortLine.length)));

console.log(`SSE parse in ${CHUNK / 1024} KB chunks`);
const short = parse(shortLines);
console.log(`  ${MB} MB as ${short.events} short lines: ${short.ms.toFixed(0)} ms`);
const times = new Map();
for (const mb of [MB / 4, MB / 2, MB]) {
  const result = parse(line(mb));
  if (result.events !== 1) throw new Error(`expected one event, got ${result.events}`);
  times.set(mb, result.ms);
  console.log(`  one ${mb} MB line: ${result.ms.toFixed(0)} ms`);
}
// Linear: 4x the bytes, 4x the time. A parser that rescans its buffer per chunk is quadratic (16x).
const ratio = times.get(MB) / times.get(MB / 4);
console.log(
  `  ratio ${MB} MB / ${MB / 4} MB line: ${ratio.toFixed(2)} (linear is 4, goal <= 6; quadratic is 16)`,
);
process.exitCode = ratio <= 6 ? 0 : 1;
