/** The client reads every real reply (current and old servers) with its zod schemas and error mapper. */
import * as assert from 'node:assert/strict';
import type { z } from 'zod';
import { parseEvent } from '../../../../../src/core/backends/llamaCpp/events';
import { mapLlamaCppError } from '../../../../../src/core/backends/llamaCpp/errors';
import {
  finishReasonOf,
  isLegacyBody,
  orderResults,
  tokenFromEntry,
} from '../../../../../src/core/backends/llamaCpp/response';
import {
  completionReplySchema,
  completionSchema,
  detokenizeSchema,
  healthSchema,
  modelsSchema,
  propsSchema,
  tokenizeSchema,
} from '../../../../../src/core/backends/llamaCpp/schemas';
import { resultFromScoring } from '../../../../../src/core/backends/llamaCpp/scoring';
import { UnexpectedScoringReply } from '../../../../../src/core/backends/llamaCpp/scoringReply';
import { isLegacyProps } from '../../../../../src/core/backends/llamaCpp/serverInfo';
import {
  AuthenticationError,
  BadRequestError,
  ContextOverflowError,
  NotFoundError,
  PromptLensError,
  ServerError,
  UnsupportedError,
} from '../../../../../src/core/errors';
import { SseParser } from '../../../../../src/core/http/sse';
import { loadComparison, loadSamples, type Sample } from '../../../fixtures/llamaCpp/samples';

/** Replies this client never asks for (it uses llama.cpp's own API, not chat or the OpenAI one). */
const NOT_READ = new Set([
  '/v1/completions',
  '/v1/chat/completions',
  '/chat/completions',
  '/slots',
  '/metrics',
  '/apply-template',
  // The web UI (a 2025 server answers it with text or gzip HTML).
  '/',
]);

const COMPLETION_PATHS = new Set(['/completion', '/completions', '/infill']);

function schemaFor(path: string): z.ZodType | undefined {
  const bare = path.split('?')[0] ?? path;
  if (COMPLETION_PATHS.has(bare)) return completionReplySchema;
  return {
    '/tokenize': tokenizeSchema,
    '/detokenize': detokenizeSchema,
    '/props': propsSchema,
    '/health': healthSchema,
    '/v1/health': healthSchema,
    '/v1/models': modelsSchema,
    '/models': modelsSchema,
  }[bare];
}

function headersOf(sample: Sample): Record<string, string> {
  return Object.fromEntries((sample.response?.headers ?? []).map(([k, v]) => [k.toLowerCase(), v]));
}

function bodyText(sample: Sample): string {
  const response = sample.response;
  if (!response) return '';
  return response.body !== undefined ? JSON.stringify(response.body) : (response.body_raw ?? '');
}

/** Parses a raw SSE body with the core's parser and this backend's event reader. */
function readStream(raw: string): { chunks: number; error?: PromptLensError } {
  const parser = new SseParser();
  const events = [...parser.push(new TextEncoder().encode(raw)), ...parser.end()];
  let chunks = 0;
  for (const event of events) {
    try {
      parseEvent(event);
      chunks++;
    } catch (error) {
      if (error instanceof PromptLensError) return { chunks, error };
      throw error;
    }
  }
  return { chunks };
}

for (const set of ['llama-cpp', 'llama-cpp-2025-02', 'llama-cpp-old'] as const) {
  describe(`llama.cpp schemas read every real reply (${set})`, () => {
    for (const sample of loadSamples(set)) {
      const response = sample.response;
      const path = sample.request.path;
      if (!response) continue;
      if (NOT_READ.has(path)) continue;
      it(sample.name, () => {
        const text = bodyText(sample);
        if (response.status < 200 || response.status >= 300) {
          const error = mapLlamaCppError(response.status, text, headersOf(sample));
          const expected = {
            400: text.includes('exceed_context_size_error') ? ContextOverflowError : BadRequestError,
            401: AuthenticationError,
            404: NotFoundError,
            500: ServerError,
            501: UnsupportedError,
          }[response.status];
          assert.ok(expected, `status ${response.status}`);
          assert.ok(error instanceof expected, `${error.name} for ${response.status}`);
          if (error instanceof ContextOverflowError) {
            assert.equal(typeof error.promptTokens, 'number');
            assert.equal(typeof error.contextSize, 'number');
          }
          return;
        }
        if (
          (response.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '').startsWith(
            'text/event-stream',
          )
        ) {
          const { chunks, error } = readStream(response.body_raw ?? '');
          if (sample.name.includes('invalid_utf8') && set === 'llama-cpp')
            assert.ok(error instanceof ServerError);
          else if (sample.name === 'error_invalid_token_id_stream')
            assert.ok(error instanceof ServerError, 'the 2025 `error:` line');
          else if (sample.name.includes('system_prompt_while_busy'))
            assert.ok(error instanceof ServerError, 'the old `error:` line');
          else assert.equal(error, undefined, error?.message);
          if (!error) assert.ok(chunks > 0);
          return;
        }
        const schema = schemaFor(path);
        if (!schema) return assert.fail(`no schema for ${path}`);
        const parsed = schema.safeParse(response.body);
        assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues[0]));
        if (path === '/props')
          assert.equal(isLegacyProps(propsSchema.parse(response.body)), set === 'llama-cpp-old');
        if (schema === completionReplySchema) {
          for (const body of orderResults(completionReplySchema.parse(response.body), [])) {
            assert.equal(isLegacyBody(body), set === 'llama-cpp-old');
            // (An old server reports no reason at all when the prompt was missing.)
            if (set !== 'llama-cpp-old') assert.notEqual(finishReasonOf(body), 'unknown');
            for (const entry of body.completion_probabilities ?? []) tokenFromEntry(entry, 5);
          }
        }
      });
    }
  });
}

describe('scoring on the real samples of every generation, against their token-by-token ground truth', () => {
  type Comparison = Record<
    string,
    {
      target_ids: number[];
      grammar_token_ids: { per_token: [number, string, number][]; tokens: number[] };
      token_by_token: { sum_logprob: number };
    }
  >;
  const comparison = (set: 'llama-cpp' | 'llama-cpp-2025-02'): Comparison => {
    const sample = loadComparison<Comparison>(set);
    return sample;
  };

  for (const name of ['fib', 'nifn', 'paris']) {
    it(`current: the token-id grammar reply of "${name}" equals token by token within 1e-3`, () => {
      const entry = comparison('llama-cpp')[name];
      assert.ok(entry);
      const result = resultFromScoring(replyOf(entry.grammar_token_ids.per_token), entry.target_ids, '', {});
      assert.ok(Math.abs(result.logProbability - entry.token_by_token.sum_logprob) < 1e-3);
    });
    it(`2025-02: the ignored token-id grammar of "${name}" is an unexpected reply, never a number`, () => {
      const entry = comparison('llama-cpp-2025-02')[name];
      assert.ok(entry);
      assert.notDeepEqual(entry.grammar_token_ids.tokens.slice(0, 3), entry.target_ids);
      assert.throws(
        () => resultFromScoring(replyOf(entry.grammar_token_ids.per_token), entry.target_ids, '', {}),
        UnexpectedScoringReply,
      );
    });
  }
});

/** A completion reply rebuilt from a comparison's `[id, token, logprob]` rows (the best one first in the top list). */
function replyOf(rows: [number, string, number][]) {
  return completionSchema.parse({
    content: '',
    completion_probabilities: rows.map(([id, token, logprob]) => ({
      id,
      token,
      logprob,
      top_logprobs: [{ id, token, logprob }],
    })),
  });
}

describe('llama.cpp reply details from the real samples', () => {
  const current = new Map(loadSamples('llama-cpp').map((s) => [s.name, s]));
  const old = new Map(loadSamples('llama-cpp-old').map((s) => [s.name, s]));

  it('drops the forced EOS entry after the target and sums the target log-probs', () => {
    const sample = current.get('completion_score_grammar_token_ids_fib');
    const body = completionReplySchema.parse(sample?.response?.body);
    assert.ok(!Array.isArray(body) && !('results' in body));
    assert.equal(body.completion_probabilities?.length, 4, 'three target tokens and the forced EOS');
    const result = resultFromScoring(body, [18755, 29898, 29876], ' fib(n', {});
    assert.equal(result.tokenCount, 3);
    assert.deepEqual(
      result.tokens.map((t) => t.text),
      [' fib', '(', 'n'],
    );
    assert.ok(Math.abs(result.logProbability - -42.601096) < 1e-4);
    assert.equal(result.correctGreedy, false);
    assert.equal(result.usage?.promptTokensProcessed, 11);
    assert.equal(result.usage?.promptTokensCached, 0);
  });

  it('orders an old server\'s {"results"} by the echoed prompt', () => {
    const sample = old.get('completion_prompt_multi_strings');
    const ordered = orderResults(completionReplySchema.parse(sample?.response?.body), ['Hello', 'World']);
    assert.deepEqual(
      ordered.map((r) => r.prompt),
      ['Hello', 'World'],
    );
  });

  it('reads old probabilities: linear, no ids, null when the sampled token is not listed', () => {
    const body = completionReplySchema.parse(old.get('completion_n_probs3_temp1')?.response?.body);
    assert.ok(!Array.isArray(body) && !('results' in body));
    const [first] = (body.completion_probabilities ?? []).map((e) => tokenFromEntry(e, 3));
    assert.equal(first?.text, '時');
    assert.equal(first?.logprob, null);
    assert.equal(first?.id, undefined);
    assert.ok(Math.abs((first?.top[0]?.logprob ?? 0) - Math.log(0.06586182862520218)) < 1e-12);
  });
});
