// Decides each assertion of a case from what the runs observed; a failure says what was expected and
// what came (the values, the completion, the model's top alternatives).
import { messageOf } from '../errors';
import type { EvaluateResult } from '../backend';
import { describeAssertion } from './assertions';
import { validate } from './jsonSchema';
import type { Assertion, AssertionResult, TopAlternative } from './types';

export interface Observations {
  completion?: { text: string; alternatives: TopAlternative[] };
  /** Scores by the scored text (`of` and `others`). */
  scores: Map<string, EvaluateResult>;
  /** Region name -> share, per explain target; or the reason there is none. */
  shares: Map<string, Map<string, number> | { error: string }>;
  /** `to` text -> cosine similarity with the completion. */
  similarity: Map<string, number>;
}

const MAX_SHOWN = 300;

export function checkAssertion(
  a: Assertion,
  seen: Observations,
  explainTarget: string | undefined,
): AssertionResult {
  const label = describeAssertion(a);
  const fail = (message: string, expected?: string, actual?: string): AssertionResult => ({
    assertion: a,
    passed: false,
    message: `${label}: ${message}`,
    ...(expected === undefined ? {} : { expected }),
    ...(actual === undefined ? {} : { actual }),
  });
  const pass = (message: string): AssertionResult => ({
    assertion: a,
    passed: true,
    message: `${label}: ${message}`,
  });
  switch (a.kind) {
    case 'contains':
    case 'notContains':
    case 'equals':
    case 'startsWith':
    case 'regex':
    case 'json': {
      const text = seen.completion?.text;
      if (text === undefined) return fail('no completion');
      const ok = textHolds(a, text);
      if (ok === true) return pass('holds');
      const shown = clip(text);
      const alternatives = alternativesLine(seen.completion?.alternatives ?? []);
      const why = typeof ok === 'string' ? ok : 'does not hold';
      return fail(`${why}; the completion was ${JSON.stringify(shown)}${alternatives}`, expectedOf(a), text);
    }
    case 'logprob':
    case 'perplexity': {
      const score = seen.scores.get(a.of);
      if (!score) return fail('not scored');
      const value = a.kind === 'logprob' ? score.logProbability : score.perplexityPerToken;
      const low = a.min !== undefined && value < a.min;
      const high = a.max !== undefined && value > a.max;
      const shown = value.toFixed(4);
      const bound = `${a.min === undefined ? '' : `>= ${a.min}`}${a.min !== undefined && a.max !== undefined ? ' and ' : ''}${a.max === undefined ? '' : `<= ${a.max}`}`;
      if (low || high)
        return fail(`${a.kind} was ${shown}, expected ${bound}${tokensLine(score)}`, bound, shown);
      return pass(`${shown}`);
    }
    case 'greedy': {
      const score = seen.scores.get(a.of);
      if (!score) return fail('not scored');
      if (score.correctGreedy === undefined)
        return fail('the backend does not say whether greedy decoding produces it');
      if (score.correctGreedy) return pass('greedy decoding produces it');
      const completion = seen.completion
        ? `; the completion was ${JSON.stringify(clip(seen.completion.text))}`
        : '';
      return fail(
        `greedy decoding does not produce it (log P ${score.logProbability.toFixed(4)})${tokensLine(score)}${completion}`,
        a.of,
        seen.completion?.text,
      );
    }
    case 'beats': {
      const own = seen.scores.get(a.of);
      if (!own) return fail('not scored');
      const losers: string[] = [];
      for (const other of a.others) {
        const theirs = seen.scores.get(other);
        if (!theirs) return fail(`${JSON.stringify(other)} was not scored`);
        const margin = own.logProbability - theirs.logProbability;
        if (margin < a.margin)
          losers.push(
            `${JSON.stringify(other)} (${theirs.logProbability.toFixed(4)}, margin ${margin.toFixed(4)})`,
          );
      }
      const ranking = [a.of, ...a.others]
        .map((t) => `${JSON.stringify(t)} ${seen.scores.get(t)?.logProbability.toFixed(4) ?? '?'}`)
        .join(', ');
      if (losers.length > 0)
        return fail(
          `log P of ${JSON.stringify(a.of)} was ${own.logProbability.toFixed(4)}, not ${a.margin} above ${losers.join(', ')}`,
          `margin >= ${a.margin}`,
          ranking,
        );
      return pass(ranking);
    }
    case 'drivenBy': {
      const target = a.target ?? explainTarget;
      const shares = target === undefined ? undefined : seen.shares.get(target);
      if (!shares) return fail('not explained (no target and no completion)');
      if ('error' in shares) return fail(shares.error);
      const share = shares.get(a.range);
      if (share === undefined)
        return fail(
          `no promptrange or variable named "${a.range}" in the rendered prompt (known: ${[...shares.keys()].join(', ') || 'none'})`,
        );
      const others = [...shares.entries()]
        .filter(([name]) => name !== a.range)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 3)
        .map(([name, s]) => `${name} ${s.toFixed(2)}`)
        .join(', ');
      if (share < a.minShare)
        return fail(
          `share was ${share.toFixed(3)}, expected >= ${a.minShare}${others ? ` (others: ${others})` : ''}`,
          `>= ${a.minShare}`,
          share.toFixed(3),
        );
      return pass(share.toFixed(3));
    }
    case 'similar': {
      const similarity = seen.similarity.get(a.to);
      if (similarity === undefined) return fail('no embedding');
      if (similarity < a.min)
        return fail(
          `cosine similarity was ${similarity.toFixed(4)}, expected >= ${a.min}; the completion was ${JSON.stringify(clip(seen.completion?.text ?? ''))}`,
          a.to,
          seen.completion?.text,
        );
      return pass(similarity.toFixed(4));
    }
  }
}

/** true, false, or a reason (json). */
function textHolds(a: Assertion, text: string): boolean | string {
  switch (a.kind) {
    case 'contains':
      return text.includes(a.value);
    case 'notContains':
      return !text.includes(a.value);
    case 'equals':
      return text === a.value || text.trim() === a.value.trim();
    case 'startsWith':
      return text.startsWith(a.value) || text.trimStart().startsWith(a.value.trimStart());
    case 'regex':
      return new RegExp(a.pattern, a.flags).test(text);
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(jsonPart(text));
      } catch (error) {
        return `not JSON (${messageOf(error)})`;
      }
      if (!a.schema) return true;
      return validate(value, a.schema) ?? true;
    }
    default:
      return false;
  }
}

/** The completion without a Markdown code fence around it, if it has one. */
function jsonPart(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return fenced?.[1] ?? text;
}

function expectedOf(a: Assertion): string | undefined {
  switch (a.kind) {
    case 'contains':
    case 'equals':
    case 'startsWith':
      return a.value;
    case 'notContains':
      return `(without ${JSON.stringify(a.value)})`;
    case 'regex':
      return `/${a.pattern}/${a.flags}`;
    case 'json':
      return a.schema ? JSON.stringify(a.schema, null, 2) : '(valid JSON)';
    default:
      return undefined;
  }
}

function alternativesLine(alternatives: readonly TopAlternative[]): string {
  if (alternatives.length === 0) return '';
  const list = alternatives
    .slice(0, 5)
    .map((t) => `${JSON.stringify(t.text)} ${Math.exp(t.logprob).toFixed(3)}`);
  return `; top first tokens: ${list.join(', ')}`;
}

function tokensLine(score: EvaluateResult): string {
  if (score.tokens.length === 0) return '';
  const worst = [...score.tokens].sort((x, y) => x.logprob - y.logprob).slice(0, 3);
  return `; least likely tokens: ${worst.map((t) => `${JSON.stringify(t.text)} ${t.logprob.toFixed(3)}`).join(', ')}`;
}

function clip(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text;
}
