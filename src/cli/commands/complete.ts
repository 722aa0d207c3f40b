import type { Completion, CompletionDelta, CompletionRequest, TokenLogProb } from '../../core/backend';
import type { CliIo } from '../io';
import { resolveInvocation, withBackend, type Invocation } from '../invocation';
import { parseCliOptions, type CliOptions } from '../options';

const DEFAULT_MAX_TOKENS = 64;

/** `promptlens complete`: prints the completion, streamed with --stream, as one JSON object with --json. */
export async function completeCommand(argv: string[], io: CliIo): Promise<number> {
  const options = parseCliOptions(argv);
  const invocation = await resolveInvocation(options, io, true);
  const request = completionRequest(invocation, options);
  const completions = await withBackend(invocation, options, io, (backend) =>
    options.stream
      ? streamed(backend.stream(request), io, options.json)
      : backend.complete(request).then((result) => result.completions),
  );
  if (options.json) io.stdout(JSON.stringify({ completions: completions.map(completionJson) }));
  else if (!options.stream) io.stdout(completions.map((completion) => completion.text).join('\n\n'));
  return 0;
}

function completionRequest(invocation: Invocation, options: CliOptions): CompletionRequest {
  const request: CompletionRequest = {
    prompt: invocation.prompt,
    maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
    params: invocation.params,
  };
  if (invocation.model !== undefined) request.model = invocation.model;
  if (options.temperature !== undefined) request.temperature = options.temperature;
  if (options.stop !== undefined) request.stop = options.stop;
  if (options.logProbs !== undefined) request.logProbs = options.logProbs;
  return request;
}

/** Writes the first completion's text as it arrives (unless --json) and collects every completion. */
async function streamed(
  deltas: AsyncIterable<CompletionDelta>,
  io: CliIo,
  json: boolean,
): Promise<Completion[]> {
  const completions: Completion[] = [];
  for await (const delta of deltas) {
    const completion = (completions[delta.index] ??= { text: '', finishReason: 'unknown', tokens: [] });
    completion.text += delta.text;
    completion.tokens.push(...delta.tokens);
    if (delta.finishReason) completion.finishReason = delta.finishReason;
    if (!json && delta.index === 0) io.write(delta.text);
  }
  if (!json) io.write('\n');
  return completions.filter((completion) => completion !== undefined);
}

function completionJson(completion: Completion) {
  return {
    text: completion.text,
    finishReason: completion.finishReason,
    tokens: completion.tokens.map(tokenJson),
  };
}

function tokenJson(token: TokenLogProb) {
  return {
    text: token.text,
    logprob: token.logprob,
    top: token.top.map((top) => ({ text: top.text, logprob: top.logprob })),
  };
}
