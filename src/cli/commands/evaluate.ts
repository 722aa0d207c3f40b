import type { EvaluateResult } from '../../core/backend';
import { describeScoringCost } from '../../core/scoringCost';
import { UsageError, type CliIo } from '../io';
import { resolveInvocation, withBackend } from '../invocation';
import { parseCliOptions } from '../options';

/** `promptlens evaluate`: log P(expected | prompt) and the backend's other metrics. */
export async function evaluateCommand(argv: string[], io: CliIo): Promise<number> {
  const options = parseCliOptions(argv);
  const invocation = await resolveInvocation(options, io, true);
  const expected = invocation.expected;
  if (expected === undefined)
    throw new UsageError('give --expected TEXT (or `expected:` in the front matter)');
  const result = await withBackend(invocation, options, io, (backend) =>
    backend.evaluate({
      prompt: invocation.prompt,
      expected,
      ...(invocation.model === undefined ? {} : { model: invocation.model }),
    }),
  );
  if (options.json) io.stdout(JSON.stringify(evaluationJson(result)));
  else io.stdout(evaluationText(result));
  return 0;
}

function evaluationJson(result: EvaluateResult) {
  const { logProbability, tokenCount, tokens, ...others } = result;
  return {
    logProbability,
    tokenCount,
    tokens: tokens.map((token) => ({ text: token.text, logprob: token.logprob })),
    ...others,
  };
}

function evaluationText(result: EvaluateResult): string {
  const lines = [
    `log P(expected | prompt) = ${result.logProbability.toFixed(4)} (P = ${Math.exp(result.logProbability).toPrecision(4)})`,
    `${result.tokenCount} tokens, perplexity per token ${result.perplexityPerToken.toFixed(3)}, per character ${result.perplexityPerCharacter.toFixed(3)}`,
  ];
  if (result.correctGreedy !== undefined)
    lines.push(`greedy decoding ${result.correctGreedy ? 'produces' : 'does not produce'} the expected text`);
  for (const token of result.tokens)
    lines.push(`${token.logprob.toFixed(4).padStart(10)}  ${JSON.stringify(token.text)}`);
  const cost = describeScoringCost(result.cost);
  if (cost) lines.push(cost);
  return lines.join('\n');
}
