// Overhead of the core HTTP client (and the OpenAI backend on top of it) against a bare undici
// request to the same local OpenAI-compatible test server, for a completion and for a stream.
// Usage: npm run bench:client [-- --iterations 2000 --rounds 10]. Goal: client / bare <= 1.05.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bundleForBench, option, root } from './lib.mjs';
import { TextDecoder } from 'node:util';

const require = createRequire(import.meta.url);
const { Agent, request } = require('undici');
const version = require(path.join(root, 'package.json')).version;

const ITERATIONS = Number(option('iterations', 1000));
const ROUNDS = Number(option('rounds', 10));
const WARMUP = Number(option('warmup', 300));
const outdir = path.join(root, 'dist', 'bench');

// Bundle what the benchmark needs (the client under test and the test server) into dist/bench.
async function bundle() {
  await bundleForBench({
    outfile: path.join(outdir, 'client.cjs'),
    contents: [
      "export { HttpClient } from './src/core/http/httpClient';",
      "export { OpenAiBackend } from './src/core/backends/openai';",
      "export { mapOpenAiError } from './src/core/backends/openai/errors';",
      "export { completionSchema } from './src/core/backends/openai/schemas';",
      "export { z } from 'zod';",
    ].join('\n'),
  });
  await bundleForBench({
    outfile: path.join(outdir, 'server.cjs'),
    contents: [
      "import { startOpenAiServer } from './test/fixtures/openai/server';",
      'startOpenAiServer().then((server) => process.send({ url: server.url }));',
    ].join('\n'),
  });
}

function startServer() {
  const child = fork(path.join(outdir, 'server.cjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ url: message.url, stop: () => child.kill() }));
    child.once('error', reject);
  });
}

const BODY = {
  prompt: 'The cat sat on the mat and',
  max_tokens: 16,
  temperature: 0,
  logprobs: 2,
  model: 'test-model',
};

function variants(url, client, backend, agent) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': `PromptLens/${version}`,
  };
  const { completionSchema, z } = client.module;
  const passThrough = z.unknown();
  return {
    complete: {
      bare: async () => {
        const { body } = await request(`${url}/v1/completions`, {
          method: 'POST',
          headers,
          body: JSON.stringify(BODY),
          dispatcher: agent,
        });
        return JSON.parse(await body.text());
      },
      client: () =>
        client.http.json({ method: 'POST', path: '/v1/completions', body: BODY, schema: completionSchema }),
      transport: () =>
        client.http.json({ method: 'POST', path: '/v1/completions', body: BODY, schema: passThrough }),
      backend: () =>
        backend.complete({
          prompt: BODY.prompt,
          maxTokens: 16,
          temperature: 0,
          logProbs: 2,
          model: 'test-model',
        }),
    },
    stream: {
      bare: async () => {
        const { body } = await request(`${url}/v1/completions`, {
          method: 'POST',
          headers: { ...headers, accept: 'text/event-stream' },
          body: JSON.stringify({ ...BODY, stream: true }),
          dispatcher: agent,
        });
        // The least a caller must do: split events, parse each JSON payload.
        const decoder = new TextDecoder();
        let buffer = '';
        let count = 0;
        for await (const chunk of body) {
          buffer += decoder.decode(chunk, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const data = buffer.slice(6, end);
            buffer = buffer.slice(end + 2);
            if (data !== '[DONE]') count += JSON.parse(data).choices.length;
          }
        }
        return count;
      },
      client: async () => {
        let count = 0;
        for await (const event of client.http.stream({
          method: 'POST',
          path: '/v1/completions',
          body: { ...BODY, stream: true },
        })) {
          if (event.data !== '[DONE]') count += JSON.parse(event.data).choices.length;
        }
        return count;
      },
      backend: async () => {
        let count = 0;
        for await (const delta of backend.stream({
          prompt: BODY.prompt,
          maxTokens: 16,
          temperature: 0,
          logProbs: 2,
          model: 'test-model',
        }))
          count += delta.text.length >= 0 ? 1 : 0;
        return count;
      },
    },
  };
}

/** Per-call times in µs, the variants interleaved call by call so load drift hits them alike. */
async function measure(variant, keys, n) {
  const samples = Object.fromEntries(keys.map((key) => [key, []]));
  for (let i = 0; i < n; i++) {
    const order = i % 2 ? [...keys].reverse() : keys;
    for (const key of order) {
      const start = process.hrtime.bigint();
      await variant[key]();
      samples[key].push(Number(process.hrtime.bigint() - start) / 1e3);
    }
  }
  return samples;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main() {
  await bundle();
  const module = require(path.join(outdir, 'client.cjs'));
  const server = await startServer();
  const agent = new Agent({ connect: { timeout: 10_000 }, headersTimeout: 305_000, bodyTimeout: 305_000 });
  const http = new module.HttpClient(
    { baseUrl: server.url, mapError: module.mapOpenAiError, userAgent: `PromptLens/${version}` },
    { env: {} },
  );
  const backend = new module.OpenAiBackend({ url: `${server.url}/v1` });
  const cases = variants(server.url, { http, module }, backend, agent);
  console.log(
    `bench:client  ${ROUNDS} rounds x ${ITERATIONS} calls per variant (interleaved, median per call), ${WARMUP} warm-up; server in a child process`,
  );
  let worst = 0;
  try {
    for (const [name, variant] of Object.entries(cases)) {
      const keys = Object.keys(variant);
      await measure(variant, keys, WARMUP);
      const perRound = Object.fromEntries(keys.map((key) => [key, []]));
      for (let round = 0; round < ROUNDS; round++) {
        const samples = await measure(variant, keys, ITERATIONS);
        for (const key of keys) perRound[key].push(median(samples[key]));
      }
      const bare = median(perRound.bare);
      const ratioOf = (key) => median(perRound[key].map((value, i) => value / perRound.bare[i]));
      const figure = (label, key) =>
        `${label} ${median(perRound[key]).toFixed(1).padStart(7)} µs (x${ratioOf(key).toFixed(3)})`;
      const clientRatios = perRound.client.map((value, i) => value / perRound.bare[i]);
      worst = Math.max(worst, ratioOf('client'));
      console.log(`${name}:`);
      console.log(`  ${'bare undici'.padEnd(34)} ${bare.toFixed(1).padStart(7)} µs`);
      console.log(
        `  ${figure('HttpClient'.padEnd(34), 'client')}  per round x${Math.min(...clientRatios).toFixed(3)}..x${Math.max(...clientRatios).toFixed(3)}`,
      );
      if (perRound.transport)
        console.log(
          `  ${figure('HttpClient, schema z.unknown()'.padEnd(34), 'transport')}  (transport alone, no validation)`,
        );
      console.log(`  ${figure('OpenAiBackend'.padEnd(34), 'backend')}  (mapping to the core types on top)`);
    }
  } finally {
    await http.close();
    await backend.close();
    await agent.close();
    server.stop();
  }
  console.log(
    `worst HttpClient / bare ratio ${worst.toFixed(3)} (goal <= 1.05): ${worst <= 1.05 ? 'met' : 'NOT met'}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
