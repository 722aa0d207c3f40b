import type { PropsReply } from './schemas';

/** What the backend learnt about the server from `/props` and `/v1/models`. */
export interface ServerInfo {
  /** An old server (2023 to late 2024, e.g. b2356): no token-id grammars, crashes on bad requests. */
  legacy: boolean;
  /** `/props` answered 404, so the age is unknown and the old server's safe path is taken. */
  propsMissing: boolean;
  nCtx?: number;
  nVocab?: number;
  buildInfo?: string;
  totalSlots?: number;
  /** The model the server runs (`/props` model_path, else the first `/v1/models` id). */
  modelPath?: string;
}

/** What tells one server from another for the scoring-method cache: base URL, build and model. */
export function serverIdentity(baseUrl: string, info: ServerInfo): string {
  return JSON.stringify([baseUrl, info.legacy, info.buildInfo ?? '', info.modelPath ?? '']);
}

const LEGACY_PROPS_KEYS = ['assistant_name', 'default_generation_settings', 'total_slots', 'user_name'];

/** An old server's `/props` has exactly four keys (no `build_info`, `model_path`, `chat_template`). */
export function isLegacyProps(props: PropsReply): boolean {
  const keys = Object.keys(props).sort();
  return keys.length === LEGACY_PROPS_KEYS.length && keys.every((key, i) => key === LEGACY_PROPS_KEYS[i]);
}

export function serverNotes(info: ServerInfo): string[] {
  if (!info.legacy) return [];
  const notes = [
    info.propsMissing
      ? 'This server has no /props, so its llama.cpp version is unknown: Prompt Lens treats it as an old server (safe but slow).'
      : 'This llama.cpp server is an old build (before the 2024 API change): it cannot score a target in one request.',
    'Evaluate and explain send one request per target token, each with the probabilities of the whole vocabulary (about 2 MB of JSON): slow, and it keeps a server slot busy.',
    'Log-probabilities are linear probabilities of the top candidates, without token ids; the sampled token has no number when it is not among them.',
    'Token-id grammars, /v1/completions and tokenizer pieces are not available; /infill ignores the text at the cursor and extra files.',
  ];
  return notes;
}
