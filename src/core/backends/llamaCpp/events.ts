import { ServerError } from '../../errors';
import { parseJsonReply } from '../../http/statusErrors';
import type { SseEvent } from '../../http/types';
import { mapLlamaCppError } from './errors';
import {
  legacyStreamErrorSchema,
  streamChunkSchema,
  streamErrorSchema,
  type CompletionBody,
} from './schemas';

/** A stream event: a chunk, or the error a server reports after generation began. */
export function parseEvent(event: SseEvent): CompletionBody {
  if (event.field === 'error') {
    // March 2024: `error: {"content": ...}`; February 2025: `error: {"code", "message", "type"}`.
    const old = parseJsonReply(event.data, legacyStreamErrorSchema.or(streamErrorSchema.shape.error));
    const what = 'content' in old ? old.content : old.message;
    throw new ServerError(`The llama.cpp server failed during generation: ${what}`);
  }
  const json = parseJsonReply(event.data, streamErrorSchema.or(streamChunkSchema));
  if ('error' in json) throw mapLlamaCppError(json.error.code ?? 500, event.data, {});
  return json;
}
