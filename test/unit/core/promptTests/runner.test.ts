import * as assert from 'node:assert/strict';
import { LlamaCppBackend } from '../../../../src/core/backends/llamaCpp';
import { CancelledError } from '../../../../src/core/errors';
import { coreTestBackend } from '../../../../src/core/promptTests/coreAdapter';
import { parseTestSuite } from '../../../../src/core/promptTests/parse';
import { runPromptTests } from '../../../../src/core/promptTests/runner';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../../fixtures/llamaCpp';

const COUNTRIES = ['France', 'Japan', 'Italy', 'Spain', 'Peru', 'Chile', 'Kenya', 'Nepal'];

function source(expect: string, countries = COUNTRIES): string {
  const cases = countries
    .map((c) => `  - { name: ${c}, vars: { country: ${c} }, expect: [${expect}] }`)
    .join('\n');
  return `---\nparams: { n_predict: 4 }\ntests:\n${cases}\n---\nQ: What is the capital of Italy?\nA: Rome\nQ: What is the capital of {{ country }}?\nA:`;
}

describe('prompt tests: the runner on the llama.cpp test server', () => {
  let server: LlamaCppServerHandle;
  let backend: LlamaCppBackend;
  beforeEach(async () => {
    server = await startLlamaCppServer({ slots: 2, embeddings: true });
    backend = new LlamaCppBackend({ url: server.url, retry: { maxRetries: 0 } });
    // The once-per-server scoring-method probe, done first so the counts below are the run's own.
    await backend.scoringMethods();
    server.resetStats();
    server.clearSlots();
    server.requests.length = 0;
  });
  afterEach(async () => {
    await backend.close();
    await server.close();
  });
  const run = (text: string, options = {}) => {
    const suite = parseTestSuite(text, 'capitals.prompt');
    return runPromptTests(
      coreTestBackend(backend),
      [{ file: 'capitals.prompt', source: text, cases: suite.cases }],
      options,
    );
  };

  it('scores the `of` texts of many cases in batched requests, with the same numbers as one evaluate each', async () => {
    const text = source(
      '{ logprob: { of: " Paris", min: -100 } }, { beats: { of: " Paris", others: [" Lyon"] } }',
    );
    const report = await run(text);
    const completionRequests = server.requests.filter((r) => r.path === '/completion').length;
    // Two scored texts, eight cases each: two batched requests (plus none for completions).
    assert.equal(completionRequests, 2);
    assert.equal(report.cost.calls, 2);
    const cases = report.files[0]?.cases ?? [];
    assert.equal(cases.length, 8);
    const france = await backend.evaluate({
      prompt: 'Q: What is the capital of Italy?\nA: Rome\nQ: What is the capital of France?\nA:',
      expected: ' Paris',
    });
    const message = cases.find((c) => c.name === 'France')?.assertions[0]?.message ?? '';
    assert.equal(message, `logprob " Paris" >= -100: ${france.logProbability.toFixed(4)}`);
  });

  it('reports the calls and prompt tokens the server says it processed; shared prefixes come from the slot cache', async () => {
    const report = await run(source('{ notContains: "<unlikely>" }'));
    const stats = server.stats();
    assert.equal(report.summary.passed, 8);
    assert.equal(report.cost.calls, 8);
    assert.equal(report.cost.promptTokensProcessed, stats.promptTokensProcessed);
    assert.ok(stats.promptTokensCached > 0, 'later cases reuse the cached examples prefix');
  });

  it('a failing case says what came; an unknown range is a failure, not a crash', async () => {
    const report = await run(
      source('{ equals: "Paris" }, { drivenBy: { range: nowhere, minShare: 0.1, target: " Paris" } }', [
        'France',
      ]),
    );
    const result = report.files[0]?.cases[0];
    assert.equal(result?.verdict, 'failed');
    assert.match(result?.assertions[0]?.message ?? '', /^equals "Paris": does not hold; the completion was /);
    assert.match(
      result?.assertions[1]?.message ?? '',
      /no promptrange or variable named "nowhere" in the rendered prompt \(known: country\)/,
    );
  });

  it('similar embeds the completion and the text on the server', async () => {
    const report = await run(source('{ similar: { to: "anything", min: -1 } }', ['France']));
    assert.equal(report.files[0]?.cases[0]?.verdict, 'passed');
    assert.equal(server.stats().embeddingRequests, 2);
  });

  it('a backend failure errors the case (kind backend) and does not stop the run', async () => {
    server.setFaults({ statuses: [400, 400, 400, 400, 400, 400, 400, 400, 400], paths: ['/completion'] });
    const report = await run(source('{ contains: x }', ['France', 'Japan']));
    assert.deepEqual(
      report.files[0]?.cases.map((c) => [c.verdict, c.errorKind]),
      [
        ['errored', 'backend'],
        ['errored', 'backend'],
      ],
    );
  });

  it('a template error errors only its case (kind input)', async () => {
    const text = `---\ntests:\n  - { name: ok, vars: { x: 1 }, expect: [{ notContains: zzz }] }\n  - { name: bad, vars: {}, expect: [{ contains: x }] }\n---\nValue {{ x }}`;
    const report = await run(text);
    assert.deepEqual(
      report.files[0]?.cases.map((c) => [c.name, c.verdict, c.errorKind]),
      [
        ['ok', 'passed', undefined],
        ['bad', 'errored', 'input'],
      ],
    );
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(run(source('{ contains: x }'), { signal: controller.signal }), CancelledError);
  });

  it('"explain failures" names the prompt spans that drove the failing text', async () => {
    const report = await run(source('{ logprob: { of: " Paris", min: 0 } }', ['France']), {
      explainFailures: true,
    });
    assert.match(report.files[0]?.cases[0]?.explanation ?? '', /^What drove " Paris": ".+" \d+%/);
  });
});
