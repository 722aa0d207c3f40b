// The OpenAI backend against replies recorded from a real llama.cpp server (b10470).
import * as assert from 'node:assert/strict';
import type { CompletionDelta } from '../../../../../src/core/backend';
import { OpenAiBackend } from '../../../../../src/core/backends/openai';
import { ConnectionError, ContextOverflowError, UnsupportedError } from '../../../../../src/core/errors';
import samples from '../../../../fixtures/openai/llamaCppSamples.json';
import { jsonReply, startScriptedServer, type ScriptedServer } from '../../http/scriptedServer';

describe('OpenAiBackend on recorded llama.cpp replies', () => {
  let server: ScriptedServer;
  let backend: OpenAiBackend;
  beforeEach(async () => {
    server = await startScriptedServer();
    backend = new OpenAiBackend({ url: server.url, retry: { maxRetries: 0 } });
  });
  afterEach(async () => {
    await backend.close();
    await server.close();
  });

  it('reads llama.cpp logprobs.content entries', async () => {
    server.handlers.push((_req, res) => jsonReply(res, 200, samples.v1_completions_logprobs.response));
    const result = await backend.complete({
      prompt: 'def fibonacci(n):\n    ',
      maxTokens: 4,
      temperature: 0,
      logProbs: 2,
    });
    const completion = result.completions[0];
    assert.equal(completion?.text, ' Finкипеди watchingIES');
    assert.equal(completion?.finishReason, 'length');
    assert.equal(completion?.tokens.length, 4);
    assert.deepEqual(completion?.tokens[0], {
      text: ' Fin',
      logprob: -4.3622660636901855,
      id: 4231,
      top: [
        { text: ' Fin', logprob: -4.3622660636901855, id: 4231 },
        { text: ' Durante', logprob: -4.416731357574463, id: 13912 },
      ],
    });
    assert.equal(result.usage?.promptTokensCached, 9);
  });

  it('reads a llama.cpp stream ending with [DONE]', async () => {
    server.handlers.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(samples.v1_completions_stream.sse);
    });
    const deltas: CompletionDelta[] = [];
    for await (const delta of backend.stream({
      prompt: 'def fibonacci(n):\n    ',
      maxTokens: 3,
      logProbs: 1,
    }))
      deltas.push(delta);
    assert.deepEqual(
      deltas.map((delta) => delta.text),
      [' Fin', 'кипеди', ' watching', ''],
    );
    assert.equal(deltas[1]?.tokens[0]?.id, 14949);
    assert.equal(deltas[3]?.finishReason, 'length');
    assert.deepEqual(deltas[3]?.usage, {
      promptTokens: 10,
      completionTokens: 3,
      promptTokensProcessed: 1,
      promptTokensCached: 9,
    });
  });

  it('reports a stream that ends before the finish reason and [DONE] as a ConnectionError', async () => {
    const events = samples.v1_completions_stream.sse.split('\n\n');
    server.handlers.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${events.slice(0, 2).join('\n\n')}\n\n`);
    });
    const texts: string[] = [];
    let caught: unknown;
    try {
      for await (const delta of backend.stream({ prompt: 'def fibonacci(n):\n    ', maxTokens: 3 }))
        texts.push(delta.text);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ConnectionError, String(caught));
    assert.deepEqual(texts, [' Fin', 'кипеди']);
  });

  it('detects that echo was ignored and refuses to score', async () => {
    server.handlers.push((_req, res) =>
      jsonReply(res, 200, samples.v1_completions_echo_max_tokens_0.response),
    );
    let caught: unknown;
    await backend
      .evaluate({ prompt: 'def fibonacci(n):\n', expected: '    ' })
      .catch((error: unknown) => (caught = error));
    assert.ok(caught instanceof UnsupportedError);
    assert.match(caught.message, /^This server cannot score a prompt: /);
  });

  it('reads /v1/models with llama.cpp meta', async () => {
    server.handlers.push((_req, res) => jsonReply(res, 200, samples.v1_models.response));
    assert.deepEqual(await backend.models(), [
      { id: 'models/tiny-llama-spm-f32.gguf', maxContextSize: 2048 },
    ]);
  });

  it('maps exceed_context_size_error with its numbers', async () => {
    server.handlers.push((_req, res) =>
      jsonReply(res, samples.error_huge_prompt.status, samples.error_huge_prompt.response),
    );
    let caught: unknown;
    await backend.complete({ prompt: 'x', maxTokens: 1 }).catch((error: unknown) => (caught = error));
    assert.ok(caught instanceof ContextOverflowError);
    assert.equal(caught.promptTokens, 3002);
    assert.equal(caught.contextSize, 2048);
    assert.match(caught.message, /3002 tokens, context 2048/);
  });
});
