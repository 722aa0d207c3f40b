import * as assert from 'node:assert/strict';
import { segment } from '../../../../src/core/segment';
import { startAlephAlphaServer, type AlephAlphaServer } from '../../../fixtures/alephAlpha';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../../fixtures/llamaCpp';
import { logprobOf, tokenizeText } from '../../../fixtures/openai/model';
import { MODEL_ID, startOpenAiServer, type OpenAiTestServer } from '../../../fixtures/openai/server';
import { runCli } from '../../cli/runCli';
import { assertClose, bruteForceScores } from './bruteForce';

/** log P(target | prompt) on the OpenAI test model: its tokens that end inside the target. */
function openAiLogProb(prompt: string, target: string): number {
  const tokens = tokenizeText(prompt + target);
  let end = 0;
  return tokens.reduce((sum, token, i) => {
    end += token.length;
    return end > prompt.length ? sum + logprobOf(tokens[i - 1] ?? '', token) : sum;
  }, 0);
}

interface ExplainJson {
  explanations: { target: string; spans: { start: number; length: number; text: string; score: number }[] }[];
  cost?: { calls: number; promptTokensProcessed: number; requests?: number; methods?: string[] };
}

describe('promptlens explain on every backend', function () {
  this.timeout(30_000);
  let llama: LlamaCppServerHandle;
  before(async () => {
    llama = await startLlamaCppServer();
  });
  after(async () => {
    await llama.close();
  });

  it('llama.cpp: occlusion spans equal brute force, and --json says the cost', async () => {
    const prompt = 'The cat sat on the mat. The dog';
    const target = ' ran to the cat';
    llama.resetStats();
    const run = await runCli([
      'explain',
      '--backend',
      'llama-cpp',
      '--url',
      llama.url,
      '--prompt',
      prompt,
      '--target',
      target,
      '--granularity',
      'word',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const output = JSON.parse(run.stdout) as ExplainJson;
    const spans = segment(prompt, { type: 'word' });
    const [explanation] = output.explanations;
    assert.deepEqual(
      explanation?.spans.map((s) => s.text),
      spans.map((s) => s.text),
    );
    assertClose(
      explanation?.spans.map((s) => s.score) ?? [],
      bruteForceScores(llama.model, prompt, target, spans),
    );
    // The scoring-method probe (2 requests) is part of what this first explanation cost.
    assert.deepEqual(output.cost, {
      calls: spans.length + 1,
      promptTokensProcessed: llama.stats().promptTokensProcessed,
      requests: llama.stats().completionRequests,
      methods: ['token-id-grammar'],
    });
    assert.equal(llama.stats().completionRequests, spans.length + 1 + 2);
  });

  it('llama.cpp: explains a .prompt file (target from the front matter), spans on the rendered text', async () => {
    const file = [
      '---',
      'target: " and the dog"',
      'vars:',
      '  animal: cat',
      '---',
      'The {{ animal }} sat on the mat',
    ].join('\n');
    const run = await runCli(
      [
        'explain',
        '--url',
        llama.url,
        'story.prompt',
        '--granularity',
        'word',
        '--target-granularity',
        'token',
        '--json',
      ],
      {},
      { 'story.prompt': file },
    );
    assert.equal(run.code, 0, run.stderr);
    const output = JSON.parse(run.stdout) as ExplainJson;
    assert.deepEqual(
      output.explanations.map((e) => e.target),
      [' and', ' the', ' dog'],
    );
    assert.deepEqual(
      output.explanations[0]?.spans.map((s) => s.text),
      ['The', 'cat', 'sat', 'on', 'the', 'mat'],
    );
    assert.equal(output.cost?.calls, 7);
  });

  it('llama.cpp: the plain output lists each span with its score', async () => {
    const run = await runCli([
      'explain',
      '--url',
      llama.url,
      '--prompt',
      'The cat sat',
      '--target',
      ' on',
      '--granularity',
      'word',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const [spans = '', cost = ''] = run.stdout.trim().split('\n\n');
    const lines = spans.split('\n');
    assert.equal(lines[0], 'target " on"');
    assert.deepEqual(
      lines.slice(1).map((line) => line.trim().split(/\s+/)[1]),
      ['"The"', '"cat"', '"sat"'],
    );
    // Then what it cost (the one-time scoring-method probe ran with an earlier test on this server).
    assert.match(cost, /^4 scoring calls with token-id-grammar: \d+ requests, \d+ prompt tokens processed$/);
  });

  describe('OpenAI-compatible and Aleph Alpha', () => {
    let openai: OpenAiTestServer;
    let aleph: AlephAlphaServer;
    before(async () => {
      openai = await startOpenAiServer({ echo: 'vllm' });
      aleph = await startAlephAlphaServer();
    });
    after(async () => {
      await openai.close();
      await aleph.close();
    });

    it('OpenAI-compatible: explains by occlusion through echo scoring', async () => {
      const run = await runCli([
        'explain',
        '--backend',
        'openai',
        '--url',
        `${openai.url}/v1`,
        '--model',
        MODEL_ID,
        '--prompt',
        'The cat sat on the mat',
        '--target',
        ' and',
        '--granularity',
        'word',
        '--json',
      ]);
      assert.equal(run.code, 0, run.stderr);
      const output = JSON.parse(run.stdout) as ExplainJson;
      const prompt = 'The cat sat on the mat';
      const spans = segment(prompt, { type: 'word' });
      const full = openAiLogProb(prompt, ' and');
      assertClose(
        output.explanations[0]?.spans.map((s) => s.score) ?? [],
        spans.map(
          (s) => full - openAiLogProb(prompt.slice(0, s.start) + prompt.slice(s.start + s.length), ' and'),
        ),
      );
      assert.equal(output.cost?.calls, 7);
      const completions = openai.requests.filter((r) => r.path.endsWith('/completions'));
      assert.ok(completions.length >= 7);
    });

    it('Aleph Alpha: native explanation, no cost field', async () => {
      const run = await runCli(
        [
          'explain',
          '--backend',
          'aleph-alpha',
          '--url',
          aleph.url,
          '--model',
          'luminous-base',
          '--prompt',
          'I am a programmer. I am French. My favourite food is',
          '--target',
          ' pizza',
          '--granularity',
          'sentence',
          '--json',
        ],
        { PROMPTLENS_TOKEN: 'test-token' },
      );
      assert.equal(run.code, 0, run.stderr);
      const output = JSON.parse(run.stdout) as ExplainJson;
      assert.equal(output.cost, undefined);
      assert.deepEqual(
        output.explanations[0]?.spans.map((s) => s.text),
        ['I am a programmer.', 'I am French.', 'My favourite food is'],
      );
      assert.deepEqual(
        aleph.requests.map((r) => r.endpoint).filter((e) => e === 'explain'),
        ['explain'],
      );
    });
  });
});
