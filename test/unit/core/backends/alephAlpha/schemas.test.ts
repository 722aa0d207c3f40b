import * as assert from 'node:assert/strict';
import { toCompletion } from '../../../../../src/core/backends/alephAlpha/completion';
import { toEvaluateResult } from '../../../../../src/core/backends/alephAlpha/evaluate';
import { toExplainResult } from '../../../../../src/core/backends/alephAlpha/explain';
import {
  batchSemanticEmbedResponse,
  completeResponse,
  detokenizeResponse,
  embedResponse,
  evaluateResponse,
  explainResponse,
  explanationItem,
  responsePromptItem,
  semanticEmbedResponse,
  streamEvent,
  tokenizeResponse,
} from '../../../../../src/core/backends/alephAlpha/schemas';
import { completionDeltas } from '../../../../../src/core/backends/alephAlpha/stream';
import { SseParser } from '../../../../../src/core/http/sse';
import type { SseEvent } from '../../../../../src/core/http/types';
import * as spec from '../../../../fixtures/alephAlpha/specExamples';
import { collect } from './harness';

const parse = (text: string): unknown => JSON.parse(text);

async function* sse(text: string): AsyncIterable<SseEvent> {
  const parser = new SseParser();
  yield* parser.push(new TextEncoder().encode(text));
  yield* parser.end();
}

describe('Aleph Alpha schemas: the spec examples', () => {
  it('parses the /complete examples and maps log-probs', () => {
    const withLogProbs = completeResponse.parse(parse(spec.completeWithLogProbs));
    const completion = toCompletion(withLogProbs.completions[0]!);
    assert.equal(completion.text, '\n\nI’m a writer');
    assert.equal(completion.finishReason, 'length');
    // log_probs 0 without completion_tokens: each single-entry map names the sampled token.
    assert.deepEqual(completion.tokens[2], {
      text: 'I',
      logprob: -2.6334932,
      top: [{ text: 'I', logprob: -2.6334932 }],
    });

    const echo = toCompletion(completeResponse.parse(parse(spec.completeEcho)).completions[0]!);
    assert.deepEqual(echo.tokens, [
      { text: ' Hello', logprob: null, top: [] },
      { text: ' world', logprob: -6.125, top: [{ text: ' world', logprob: -6.125 }] },
    ]);

    const bestOf = completeResponse.parse(parse(spec.completeBestOf));
    assert.equal(bestOf.num_tokens_prompt_total, 4);
    assert.deepEqual(toCompletion(bestOf.completions[0]!).tokens, [{ text: '!', logprob: null, top: [] }]);
  });

  it('keeps unknown optimized_prompt item types opaque', () => {
    const items = [...(parse(spec.optimizedPrompt) as unknown[]), { type: 'audio', data: 'AAAA' }];
    const parsed = items.map((item) => responsePromptItem.parse(item));
    assert.deepEqual(parsed[0], { type: 'text', data: 'Hello  world! ', add_prefix_space: true });
    assert.deepEqual(parsed[4], { type: 'opaque', raw: { type: 'audio', data: 'AAAA' } });
    assert.equal(
      responsePromptItem.safeParse({ type: 'text', data: 5 }).success,
      false,
      'a known type with a bad shape is still an error',
    );
    const reply = completeResponse.parse({
      ...(parse(spec.completeBestOf) as object),
      optimized_prompt: items,
    });
    assert.equal(reply.optimized_prompt?.length, 5);
  });

  it('parses the stream cassette into deltas', async () => {
    const deltas = await collect(completionDeltas(sse(spec.streamCassette)));
    assert.deepEqual(deltas, [
      { index: 0, text: ' The New York Times, May 15', tokens: [] },
      {
        index: 0,
        text: '',
        tokens: [],
        finishReason: 'length',
        usage: { promptTokens: 1, completionTokens: 7 },
      },
    ]);
  });

  it('ignores unknown stream event types and fails on a mid-stream error event', async () => {
    assert.equal(streamEvent.parse({ type: 'heartbeat', at: 1 }).type, 'opaque');
    const withUnknown = spec.streamCassette.replace(
      'data: {"type":"stream_summary"',
      'data: {"type":"heartbeat"}\n\ndata: {"type":"stream_summary"',
    );
    assert.equal((await collect(completionDeltas(sse(withUnknown)))).length, 2);
    await assert.rejects(
      collect(completionDeltas(sse('data: {"error":"worker crashed","code":"INTERNAL"}\n\n'))),
      { kind: 'server' },
    );
  });

  it('parses the /evaluate example into the core result', () => {
    const reply = evaluateResponse.parse(parse(spec.evaluate));
    const result = toEvaluateResult(reply, 'world', undefined, () => spec.evaluate);
    assert.equal(result.logProbability, -11.3125);
    assert.equal(result.tokenCount, 1);
    assert.equal(result.characterCount, 5);
    assert.equal(result.correctGreedy, false);
    assert.equal(result.perplexityPerToken, Math.exp(11.3125));
    assert.equal(result.perplexityPerCharacter, Math.exp(2.2625));
    assert.deepEqual(result.tokens, [{ text: 'world', logprob: -11.3125 }]);
    assert.deepEqual(result.extra, {
      log_perplexity: 11.3125,
      log_perplexity_per_token: 11.3125,
      log_perplexity_per_character: 2.2625,
    });
    assert.deepEqual(result.usage, { promptTokens: 2 });
  });

  it('parses the /explain example and maps it to core explanations', () => {
    const request = parse(spec.explainRequest) as {
      prompt: [{ data: string }, { data: number[] }];
      target: string;
    };
    const reply = explainResponse.parse(parse(spec.explainResponse));
    const result = toExplainResult(reply, {
      prompt: [
        { type: 'text', text: request.prompt[0].data },
        { type: 'token_ids', ids: request.prompt[1].data },
      ],
      target: request.target,
    });
    assert.equal(result.explanations.length, 2);
    assert.deepEqual(result.explanations[1], {
      target: ' with',
      items: [
        {
          type: 'text',
          scores: [
            { start: 0, length: 17, score: 0.28125 },
            { start: 20, length: 11, score: -0.03125 },
            { start: 34, length: 18, score: -0.21875 },
            { start: 55, length: 20, score: -0.71875 },
          ],
        },
        { type: 'token_ids', scores: [-0.1875, 0.03125, 0.03125, 0.09375] },
        { type: 'target', scores: [{ start: 0, length: 6, score: -0.28125 }] },
      ],
    });
    const image = explanationItem.parse(parse(spec.explainImageItem));
    assert.equal(image.type, 'image');
    assert.equal(image.type === 'image' && image.scores[1]?.rect.left, 0.33333334);
    assert.equal(explanationItem.parse({ type: 'heatmap', values: [] }).type, 'opaque');
  });

  it('drops explanation items of unknown types, keeping the known ones', () => {
    const reply = explainResponse.parse({
      explanations: [
        {
          target: ' x',
          items: [
            { type: 'text', scores: [{ start: 1, length: 1, score: 1 }] },
            { type: 'future', scores: 'n/a' },
            { type: 'target', scores: [] },
          ],
        },
      ],
    });
    const result = toExplainResult(reply, { prompt: '🍕a', target: ' x' });
    assert.deepEqual(result.explanations[0]?.items, [
      { type: 'text', scores: [{ start: 2, length: 1, score: 1 }] },
      { type: 'target', scores: [] },
    ]);
  });

  it('parses the token and embedding examples', () => {
    assert.deepEqual(tokenizeResponse.parse(parse(spec.tokenize)), {
      tokens: ['ĠHello'],
      token_ids: [49222],
    });
    assert.equal(detokenizeResponse.parse(parse(spec.detokenize)).result, 'tiss');
    assert.deepEqual(Object.keys(embedResponse.parse(parse(spec.embed)).embeddings), ['layer_0', 'layer_40']);
    assert.equal(semanticEmbedResponse.parse(parse(spec.semanticEmbed)).embedding.length, 3);
    assert.equal(batchSemanticEmbedResponse.parse(parse(spec.batchSemanticEmbed)).embeddings.length, 1);
  });

  it('ignores unknown keys', () => {
    const reply = completeResponse.parse({
      completions: [{ completion: 'x', finish_reason: 'end_of_text', message: 'legacy', id: 'abc' }],
      extra: 1,
    });
    assert.deepEqual(toCompletion(reply.completions[0]!), {
      text: 'x',
      finishReason: 'end-of-text',
      tokens: [],
    });
  });
});
