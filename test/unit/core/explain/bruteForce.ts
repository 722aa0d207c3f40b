// Ground truth for the occlusion tests, computed straight from the llama.cpp test server's model:
// delete each segment, score the target token by token, subtract. Shares no code with the engine.
import type { ToyModel } from '../../../fixtures/llamaCpp';

export interface ModelScore {
  /** Prompt ids (with BOS) as scored: the joint tokenization up to where it leaves the prompt's own. */
  promptIds: number[];
  targetIds: number[];
  logprobs: number[];
  total: number;
}

export function modelScore(model: ToyModel, prompt: string, target: string): ModelScore {
  const joint = model.tokenize(prompt + target, { addSpecial: true, parseSpecial: true });
  const alone = model.tokenize(prompt, { addSpecial: true, parseSpecial: true });
  let n = 0;
  while (n < joint.length && n < alone.length && joint[n] === alone[n]) n++;
  const targetIds = joint.slice(n);
  const logprobs = targetIds.map((id, k) => model.logProbs(joint.slice(0, n + k))[id] ?? Number.NaN);
  return { promptIds: joint.slice(0, n), targetIds, logprobs, total: logprobs.reduce((a, b) => a + b, 0) };
}

export function deleteSpan(text: string, start: number, length: number): string {
  return text.slice(0, start) + text.slice(start + length);
}

/** NLL(target | prompt without span) − NLL(target | prompt) for each span. */
export function bruteForceScores(
  model: ToyModel,
  prompt: string,
  target: string,
  spans: readonly { start: number; length: number }[],
): number[] {
  const full = modelScore(model, prompt, target).total;
  return spans.map((s) => full - modelScore(model, deleteSpan(prompt, s.start, s.length), target).total);
}

/**
 * Per reference token (the full prompt's tokenization of the target): each token of a scoring is
 * placed by its exact bytes counted back from the end of prompt + target, and its log-probability
 * goes to the reference token holding its last byte (the documented rule), computed independently.
 */
export function bruteForcePerToken(
  model: ToyModel,
  prompt: string,
  target: string,
  spans: readonly { start: number; length: number }[],
): number[][] {
  const placed = (score: ModelScore) => {
    let end = new TextEncoder().encode(target).length;
    const out: { start: number; end: number; logprob: number }[] = [];
    for (let k = score.targetIds.length - 1; k >= 0; k--) {
      const size = model.pieceBytes(score.targetIds[k] ?? 0).length;
      out.unshift({ start: end - size, end, logprob: score.logprobs[k] ?? Number.NaN });
      end -= size;
    }
    return out;
  };
  const reference = placed(modelScore(model, prompt, target));
  const perToken = (score: ModelScore) => {
    const sums = reference.map(() => 0);
    for (const token of placed(score)) {
      let at = reference.findIndex((r) => token.end - 1 >= r.start && token.end - 1 < r.end);
      if (at < 0) at = 0;
      sums[at] = (sums[at] ?? 0) + token.logprob;
    }
    return sums;
  };
  const full = perToken(modelScore(model, prompt, target));
  const ablated = spans.map((s) =>
    perToken(modelScore(model, deleteSpan(prompt, s.start, s.length), target)),
  );
  return reference.map((_, k) => ablated.map((a) => (full[k] ?? 0) - (a[k] ?? 0)));
}

export function assertClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-6): void {
  if (actual.length !== expected.length)
    throw new Error(
      `length ${actual.length} !== ${expected.length}: ${JSON.stringify({ actual, expected })}`,
    );
  actual.forEach((a, i) => {
    const e = expected[i] ?? Number.NaN;
    if (!(Math.abs(a - e) <= tolerance))
      throw new Error(`score ${i}: ${a} vs expected ${e} (all: ${JSON.stringify({ actual, expected })})`);
  });
}
