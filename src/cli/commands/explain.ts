import { promptText, type ExplainRequest, type ExplainResult, type Prompt } from '../../core/backend';
import { planExplain, projectExplanation, runExplain } from '../../core/useCases/index';
import { describeExplainCost } from '../../core/scoringCost';
import { UsageError, type CliIo } from '../io';
import { resolveInvocation, withBackend, type Invocation } from '../invocation';
import { parseCliOptions, type CliOptions } from '../options';

interface SpanJson {
  start: number;
  length: number;
  text: string;
  score: number;
}

/** `promptlens explain`: how much each part of the prompt matters for the target. */
export async function explainCommand(argv: string[], io: CliIo): Promise<number> {
  const options = parseCliOptions(argv);
  const invocation = await resolveInvocation(options, io, true);
  const request = explainRequest(invocation, options);
  const result = await withBackend(invocation, options, io, async (backend) =>
    runExplain(backend, await planExplain(backend, request)),
  );
  const explanations = explanationsJson(invocation.prompt, result);
  // Occlusion runs also say what they cost: {"calls", "promptTokensProcessed", "requests", "methods"}.
  if (options.json)
    io.stdout(JSON.stringify({ explanations, ...(result.cost ? { cost: result.cost } : {}) }));
  else {
    const cost = describeExplainCost(result.cost);
    io.stdout(
      [
        ...explanations.map((explanation) =>
          [`target ${JSON.stringify(explanation.target)}`, ...explanation.spans.map(spanLine)].join('\n'),
        ),
        ...(cost ? [cost] : []),
      ].join('\n\n'),
    );
  }
  return 0;
}

function explainRequest(invocation: Invocation, options: CliOptions): ExplainRequest {
  if (invocation.target === undefined)
    throw new UsageError('give --target TEXT (or `target:` in the front matter)');
  const request: ExplainRequest = { prompt: invocation.prompt, target: invocation.target };
  if (invocation.model !== undefined) request.model = invocation.model;
  if (options.granularity !== undefined) request.granularity = options.granularity;
  if (options.targetGranularity !== undefined) request.targetGranularity = options.targetGranularity;
  if (options.postprocessing !== undefined) request.postprocessing = options.postprocessing;
  if (options.normalize !== undefined) request.normalize = options.normalize;
  return request;
}

/** Text-item scores as spans of the whole prompt text (UTF-16 offsets into promptText(prompt)). */
export function explanationsJson(
  prompt: Prompt,
  result: ExplainResult,
): { target: string; spans: SpanJson[] }[] {
  const text = promptText(prompt);
  return projectExplanation(result, prompt).map((explanation) => ({
    target: explanation.target,
    spans: explanation.spans.map((span) => ({
      ...span,
      text: text.slice(span.start, span.start + span.length),
    })),
  }));
}

function spanLine(span: SpanJson): string {
  return `${span.score.toFixed(4).padStart(10)}  ${JSON.stringify(span.text)}`;
}
