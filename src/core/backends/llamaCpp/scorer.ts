/**
 * Scores one target after one prompt with the cheapest method the server supports (scoringPlan.ts),
 * moving to the next method on any unexpected reply; reports the method and its cost.
 */
import { promptText, type EvaluateResult, type Prompt, type Usage } from '../../backend';
import { InvalidResponseError, UnsupportedError } from '../../errors';
import { scoreWithStringGrammar, scoreWithTokenBias, textOfPieces, type ScoredTokens } from './biasScoring';
import type { LlamaCppClient } from './client';
import { legacyEvaluate } from './legacyScoring';
import { wirePrompt } from './request';
import { sumUsage } from './response';
import { evaluateResult, resultFromScoring, scoringBody, splitTarget, type TargetSplit } from './scoring';
import { dropMethod, knownPlan, scoringPlan, type ProbeCost } from './scoringPlan';
import { UnexpectedScoringReply, type ScoringMethod } from './scoringReply';
import type { ServerInfo } from './serverInfo';

/** A split with the text and the bytes of the target's tokens, where the server gave their pieces. */
export interface ScoringSplit extends TargetSplit {
  targetText?: string;
  targetPieces?: Uint8Array[];
}

export class LlamaCppScorer {
  constructor(
    private readonly client: LlamaCppClient,
    private readonly baseUrl: string,
  ) {}

  /** The methods this server supports, cheapest first (probed once per server identity). */
  async methods(signal?: AbortSignal): Promise<ScoringMethod[]> {
    return (await this.plan(signal)).methods;
  }

  /** The methods, if this server's plan is known already (no probe). */
  async knownMethods(signal?: AbortSignal): Promise<ScoringMethod[] | undefined> {
    const info = await this.client.serverInfo(signal ? { signal } : {});
    return knownPlan(this.baseUrl, info);
  }

  private async plan(
    signal: AbortSignal | undefined,
  ): Promise<{ methods: ScoringMethod[]; probe?: ProbeCost }> {
    const info = await this.client.serverInfo(signal ? { signal } : {});
    const plan = await scoringPlan(this.client, this.baseUrl, info, signal);
    const methods = plan.methods;
    const all: ScoringMethod[] =
      info.legacy || methods.includes('full-vocabulary') ? methods : [...methods, 'full-vocabulary'];
    return plan.probe ? { methods: all, probe: plan.probe } : { methods: all };
  }

  /** Joint tokenization of prompt + expected, cut where the prompt's own tokens end. */
  async split(prompt: Prompt, expected: string, signal: AbortSignal | undefined): Promise<ScoringSplit> {
    if (typeof wirePrompt(prompt) !== 'string') {
      throw new UnsupportedError(
        'Evaluate on llama.cpp takes a text prompt (token-id items cannot be joined with the target for tokenization).',
      );
    }
    const text = promptText(prompt);
    const [joint, alone] = await Promise.all([
      this.client.tokenizeWithBos(text + expected, signal),
      this.client.tokenizeWithBos(text, signal),
    ]);
    const split = splitTarget(joint.ids, alone.ids);
    const pieces = joint.pieces?.slice(split.promptIds.length);
    const targetText = pieces && textOfPieces(pieces);
    return targetText === undefined || !pieces ? split : { ...split, targetText, targetPieces: pieces };
  }

  async score(
    split: ScoringSplit,
    expected: string,
    slot: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<EvaluateResult> {
    const extra = { boundaryMerged: split.merged };
    if (split.targetIds.length === 0) {
      const empty = evaluateResult([], expected, true, {}, extra);
      return { ...empty, cost: { method: 'none', requests: 0, promptTokensProcessed: 0 } };
    }
    const info = await this.client.serverInfo(signal ? { signal } : {});
    const failures: string[] = [];
    const plan = await this.plan(signal);
    for (const method of plan.methods) {
      try {
        return withProbe(await this.scoreWith(method, split, expected, info, slot, signal), plan.probe);
      } catch (error) {
        if (!(error instanceof UnexpectedScoringReply)) throw error;
        failures.push(error.message);
        dropMethod(this.baseUrl, info, method);
        // The server may have been replaced: read its identity again before the next score.
        this.client.forgetServer();
      }
    }
    throw new InvalidResponseError(
      'The llama.cpp server answered none of the scoring methods as expected, so no score is given. Check the server version.',
      failures.join('\n'),
    );
  }

  /** The `/completion` fields that pin a slot (`id_slot`; the client renames it for old servers). */
  static slotFields(slot: number | undefined): Record<string, unknown> {
    return slot === undefined ? {} : { id_slot: slot };
  }

  private async scoreWith(
    method: ScoringMethod,
    split: ScoringSplit,
    expected: string,
    info: ServerInfo,
    slot: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<EvaluateResult> {
    const extra = { boundaryMerged: split.merged };
    const slotFields = LlamaCppScorer.slotFields(slot);
    switch (method) {
      case 'token-id-grammar': {
        const reply = await this.client.completeOne(
          scoringBody(split.promptIds, split.targetIds, slot),
          signal,
        );
        return withCost(resultFromScoring(reply, split.targetIds, expected, extra), method, 1);
      }
      case 'string-grammar-bias': {
        if (split.targetPieces === undefined)
          throw new UnexpectedScoringReply(method, 'the target pieces are not valid UTF-8 text');
        const scored = await scoreWithStringGrammar(
          this.client,
          split,
          split.targetPieces,
          slotFields,
          signal,
        );
        return resultOf(scored, method, expected, extra);
      }
      case 'token-bias':
        return resultOf(
          await scoreWithTokenBias(this.client, split, slotFields, signal),
          method,
          expected,
          extra,
        );
      case 'full-vocabulary': {
        if (info.nVocab === undefined)
          throw new UnsupportedError(
            'This old llama.cpp server does not report its vocabulary size (/v1/models), which scoring needs. Update the server.',
          );
        const result = await legacyEvaluate(
          {
            completion: (body) => this.client.completeOne(body, signal),
            piece: (id) => this.client.piece(id, signal),
          },
          split,
          info.nVocab,
          expected,
          slot,
        );
        const requests = typeof result.extra?.['requests'] === 'number' ? result.extra['requests'] : 0;
        return withCost(result, method, requests);
      }
    }
  }
}

function resultOf(
  scored: ScoredTokens,
  method: ScoringMethod,
  expected: string,
  extra: Record<string, number | boolean | null>,
): EvaluateResult {
  const usage: Usage = sumUsage(scored.usages);
  return withCost(
    evaluateResult(scored.tokens, expected, scored.greedy, usage, extra),
    method,
    scored.requests,
  );
}

/** The call that ran the capability probe also pays for it (requests and prompt tokens). */
function withProbe(result: EvaluateResult, probe: ProbeCost | undefined): EvaluateResult {
  if (!probe || !result.cost) return result;
  const processed = (result.usage?.promptTokensProcessed ?? 0) + probe.promptTokensProcessed;
  return {
    ...result,
    usage: { ...result.usage, promptTokensProcessed: processed },
    cost: {
      ...result.cost,
      requests: result.cost.requests + probe.requests,
      promptTokensProcessed: result.cost.promptTokensProcessed + probe.promptTokensProcessed,
      probeRequests: probe.requests,
    },
  };
}

function withCost(result: EvaluateResult, method: ScoringMethod, requests: number): EvaluateResult {
  const promptTokensProcessed = result.usage?.promptTokensProcessed ?? result.usage?.promptTokens ?? 0;
  return { ...result, cost: { method, requests, promptTokensProcessed } };
}
