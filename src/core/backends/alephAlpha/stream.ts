/** Streamed /complete (spec section 4): SSE events to core deltas. */
import type { CompletionDelta } from '../../backend';
import { ConnectionError, ServerError } from '../../errors';
import { parseJsonReply } from '../../http/statusErrors';
import type { SseEvent } from '../../http/types';
import { finishReason, tokenLogProbs, usageOf } from './completion';
import { streamEvent } from './schemas';

/**
 * Chunks become deltas as they arrive. Each completion's summary (finish reason) is held back until
 * the final `completion_summary`, so the last delta carries both the finish reason and the usage.
 * A stream that ends before `completion_summary` (and without `[DONE]`) was cut: a ConnectionError.
 */
export async function* completionDeltas(events: AsyncIterable<SseEvent>): AsyncGenerator<CompletionDelta> {
  const finished: CompletionDelta[] = [];
  let complete = false;
  for await (const sse of events) {
    if (sse.data.trim() === '[DONE]') {
      complete = true;
      break;
    }
    if (sse.field === 'error') throw midStreamError(sse.data);
    const event = parseJsonReply(sse.data, streamEvent);
    if (event.type === 'error') throw midStreamError(event.error);
    switch (event.type) {
      case 'stream_chunk':
        yield {
          index: event.index,
          text: event.completion,
          tokens:
            event.log_probs || event.completion_tokens
              ? tokenLogProbs(event.completion_tokens, event.log_probs)
              : [],
        };
        break;
      case 'stream_summary':
        finished.push({
          index: event.index,
          text: '',
          tokens: [],
          finishReason: finishReason(event.finish_reason),
        });
        break;
      case 'completion_summary': {
        complete = true;
        const usage = usageOf(event.num_tokens_prompt_total, event.num_tokens_generated);
        yield* withUsage(finished.splice(0), usage);
        break;
      }
      case 'opaque':
        break;
    }
  }
  if (!complete)
    throw new ConnectionError('The server closed the stream before the completion finished. Try again.');
  yield* finished.splice(0);
}

function midStreamError(message: string): ServerError {
  return new ServerError(
    `The server failed in the middle of the stream: ${message.slice(0, 300)}. Try again.`,
  );
}

function withUsage(deltas: CompletionDelta[], usage: CompletionDelta['usage']): CompletionDelta[] {
  if (usage === undefined) return deltas;
  const last = deltas.pop() ?? { index: 0, text: '', tokens: [] };
  return [...deltas, { ...last, usage }];
}
