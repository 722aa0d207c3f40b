/** /explain (AtMan, spec section 6): request body and the mapping to the core's explanations. */
import type {
  Explanation,
  ExplanationItem,
  ExplainRequest,
  ExplainResult,
  Granularity,
  PromptItem,
} from '../../backend';
import { OffsetMap } from './offsets';
import { promptItems, toWirePrompt } from './prompt';
import type { ExplainResponse, WireExplanationItem } from './schemas';

export function explainBody(request: ExplainRequest, model: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    prompt: toWirePrompt(request.prompt),
    target: request.target,
  };
  const granularity = wireGranularity(request.granularity);
  if (granularity) body['prompt_granularity'] = granularity;
  if (request.targetGranularity !== undefined) body['target_granularity'] = request.targetGranularity;
  if (request.postprocessing !== undefined) body['postprocessing'] = request.postprocessing;
  if (request.normalize !== undefined) body['normalize'] = request.normalize;
  if (request.controlFactor !== undefined) body['control_factor'] = request.controlFactor;
  if (request.controlLogAdditive !== undefined) body['control_log_additive'] = request.controlLogAdditive;
  if (request.controlTokenOverlap !== undefined) body['control_token_overlap'] = request.controlTokenOverlap;
  return body;
}

function wireGranularity(
  granularity: Granularity | undefined,
): { type: string; delimiter?: string } | undefined {
  if (granularity === undefined || granularity.type === 'auto') return undefined;
  return granularity.type === 'custom'
    ? { type: 'custom', delimiter: granularity.delimiter }
    : { type: granularity.type };
}

/** Converts code-point spans to UTF-16 and drops item types the core does not know. */
export function toExplainResult(reply: ExplainResponse, request: ExplainRequest): ExplainResult {
  const items = promptItems(request.prompt);
  const offsets = new Map<number, OffsetMap>();
  const offsetsOf = (index: number, text: string) => {
    let map = offsets.get(index);
    if (!map) offsets.set(index, (map = new OffsetMap(text)));
    return map;
  };
  const targetOffsets = new OffsetMap(request.target);
  const explanations: Explanation[] = reply.explanations.map((explanation) => ({
    target: explanation.target,
    items: explanation.items.flatMap((item, index) => {
      const mapped = toItem(item, items[index], (text) => offsetsOf(index, text), targetOffsets);
      return mapped ? [mapped] : [];
    }),
  }));
  return { explanations };
}

function toItem(
  item: WireExplanationItem,
  promptItem: PromptItem | undefined,
  offsetsOf: (text: string) => OffsetMap,
  target: OffsetMap,
): ExplanationItem | undefined {
  switch (item.type) {
    case 'text': {
      const offsets = offsetsOf(promptItem?.type === 'text' ? promptItem.text : '');
      return {
        type: 'text',
        scores: item.scores.map((s) => ({ ...offsets.spanToUtf16(s.start, s.length), score: s.score })),
      };
    }
    case 'target':
      return {
        type: 'target',
        scores: item.scores.map((s) => ({ ...target.spanToUtf16(s.start, s.length), score: s.score })),
      };
    case 'token_ids':
      return { type: 'token_ids', scores: item.scores };
    case 'image':
      return {
        type: 'image',
        scores: item.scores.map((s) => ({
          rect: { left: s.rect.left, top: s.rect.top, width: s.rect.width, height: s.rect.height },
          score: s.score,
        })),
      };
    case 'opaque':
      return undefined;
  }
}
