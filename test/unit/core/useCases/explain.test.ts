import * as assert from 'node:assert/strict';
import { OpenAiBackend } from '../../../../src/core/backends/openai/index';
import { renderPromptFile } from '../../../../src/core/promptFile/index';
import {
  explanationReport,
  planExplain,
  projectOntoSource,
  resolvePrompt,
  runExplain,
} from '../../../../src/core/useCases/index';
import { startOpenAiServer, type OpenAiTestServer } from '../../../fixtures/openai/server';

const PROMPT = 'The sea otter holds hands with another otter while it sleeps, so';
const TARGET = ' they do not drift apart';

describe('use cases: Explain, planned once', () => {
  let server: OpenAiTestServer;
  let backend: OpenAiBackend;

  beforeEach(async () => {
    server = await startOpenAiServer({ echo: 'vllm' });
    backend = new OpenAiBackend({ url: server.url, retry: { maxRetries: 0 } });
  });

  afterEach(async () => {
    await backend.close();
    await server.close();
  });

  const count = (path: string) => server.requests.filter((r) => r.path.split('?')[0] === path).length;

  it('one Explain makes exactly one capability probe and one plan of tokenize calls, counted at the server', async () => {
    const planned = await planExplain(backend, {
      prompt: PROMPT,
      target: TARGET,
      granularity: { type: 'auto' },
    });
    assert.equal(planned.plan.method, 'occlusion');
    const afterPlan = { probes: count('/v1/models'), tokenize: count('/tokenize') };
    assert.deepEqual(
      afterPlan,
      { probes: 1, tokenize: 1 },
      'planning asks the capabilities once and tokenizes the one text item once',
    );
    let progress = 0;
    const result = await runExplain(backend, planned, { onProgress: (done) => (progress = done) });
    assert.equal(count('/v1/models'), 1, 'running the plan probes nothing again');
    assert.equal(count('/tokenize'), 1, 'running the plan tokenizes nothing again');
    assert.equal(
      count('/v1/completions'),
      planned.plan.calls,
      'exactly the scoring calls the plan announced',
    );
    assert.equal(progress, planned.plan.calls);
    assert.equal(result.cost?.calls, planned.plan.calls);
  });

  it('projects the result onto a template source through the source map, and reports template totals', async () => {
    const render = await renderPromptFile(
      '---\nvars:\n  animal: sea otter\n---\nThe {{ animal }} holds hands while it sleeps, so',
    );
    const resolved = resolvePrompt({ kind: 'template', name: 'otter.prompt', render });
    const planned = await planExplain(backend, {
      prompt: resolved.prompt,
      target: TARGET,
      granularity: { type: 'word' },
    });
    const result = await runExplain(backend, planned);
    const onSource = projectOntoSource(result, resolved, resolved.prompt, TARGET);
    const source = '---\nvars:\n  animal: sea otter\n---\nThe {{ animal }} holds hands while it sleeps, so';
    const painted = onSource.layout.groups.map((g) =>
      g.ranges.map((r) => source.slice(r.start, r.end)).join(''),
    );
    assert.ok(
      painted.includes('{{ animal }}'),
      `the output tag is painted whole: ${JSON.stringify(painted)}`,
    );
    assert.ok(!painted.some((text) => text.includes('sea otter')), 'nothing is painted in the front matter');
    const report = explanationReport(result, resolved, TARGET);
    assert.equal(report.targets.length, result.explanations.length);
    assert.deepEqual(
      report.targets[0]?.perVariable?.map((v) => v.name),
      ['animal'],
    );
  });
});
