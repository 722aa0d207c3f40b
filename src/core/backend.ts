/**
 * The one interface every backend implements (Aleph Alpha, llama.cpp, OpenAI-compatible), and the
 * types that cross it. Field names are the core's own (camelCase); each backend maps them to its wire
 * format in its own folder under backends/.
 */

import type { CookieJar } from './http/cookieJar';
import type { HttpTimeouts, NetworkOptions } from './http/types';

export type BackendKind = 'aleph-alpha' | 'llama-cpp' | 'openai';

// ---------------------------------------------------------------------------------------------
// Prompts: a string, or multimodal items with Aleph Alpha's attention controls.

export type TokenOverlap = 'partial' | 'complete';

/** Attention manipulation of a text span (Aleph Alpha `controls`); offsets in UTF-16 code units. */
export interface TextControl {
  start: number;
  length: number;
  factor: number;
  tokenOverlap?: TokenOverlap;
}

/** Attention manipulation of an image region, in coordinates relative to the image (0..1). */
export interface ImageControl {
  rect: { left: number; top: number; width: number; height: number };
  factor: number;
  tokenOverlap?: TokenOverlap;
}

export interface TokenControl {
  index: number;
  factor: number;
}

export type PromptItem =
  | { type: 'text'; text: string; controls?: TextControl[] }
  /** base64 image data (PNG or JPEG); x, y, size crop as in Aleph Alpha's API. */
  | { type: 'image'; data: string; x?: number; y?: number; size?: number; controls?: ImageControl[] }
  | { type: 'token_ids'; ids: number[]; controls?: TokenControl[] };

export type Prompt = string | PromptItem[];

// ---------------------------------------------------------------------------------------------
// Requests and results.

export interface CallOptions {
  signal?: AbortSignal;
}

export interface CompletionRequest extends CallOptions {
  prompt: Prompt;
  model?: string;
  maxTokens: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  /** Ask for each token's log-probability and this many top alternatives (0: only the sampled token). */
  logProbs?: number;
  /** Backend-native parameters by their API names (from a `.prompt` front matter); override the above. */
  params?: Record<string, unknown>;
}

export interface TopToken {
  text: string;
  logprob: number;
  id?: number;
}

export interface TokenLogProb {
  text: string;
  /** null where the backend gives no number (e.g. an old llama.cpp server when the token is not among the top). */
  logprob: number | null;
  id?: number;
  top: TopToken[];
}

export type FinishReason = 'stop' | 'length' | 'end-of-text' | 'error' | 'unknown';

export interface Completion {
  text: string;
  finishReason: FinishReason;
  /** Present when log-probabilities were asked for. */
  tokens: TokenLogProb[];
}

export interface Usage {
  promptTokens?: number;
  completionTokens?: number;
  /** Prompt tokens the server actually processed (llama.cpp `timings.prompt_n`, i.e. not served from cache). */
  promptTokensProcessed?: number;
  /** Prompt tokens served from the server's prompt cache (llama.cpp `timings.cache_n`). */
  promptTokensCached?: number;
}

export interface CompletionResult {
  completions: Completion[];
  model?: string;
  usage?: Usage;
}

/** One streamed piece of a completion. The last delta carries `finishReason`. */
export interface CompletionDelta {
  index: number;
  text: string;
  tokens: TokenLogProb[];
  finishReason?: FinishReason;
  usage?: Usage;
}

export interface EvaluateRequest extends CallOptions {
  prompt: Prompt;
  expected: string;
  model?: string;
  /** Run on this server slot (its prompt cache); only read by a backend with `scoringSlots`. */
  slot?: number;
}

/** How a score was obtained and what it cost, as the server reported it. */
export interface ScoringCost {
  /** The backend's name for its scoring method (llama.cpp: `token-id-grammar`, `string-grammar-bias`, ...). */
  method: string;
  /** HTTP requests sent to score (a capability probe not included). */
  requests: number;
  /** Prompt tokens the server processed for them (cached ones not counted). */
  promptTokensProcessed: number;
  /** Of `requests`, those of a once-per-server capability probe this call ran first. */
  probeRequests?: number;
}

export interface EvaluateResult {
  /** log P(expected | prompt), natural log. */
  logProbability: number;
  tokenCount: number;
  characterCount: number;
  /** Per token of the expected completion. */
  tokens: { text: string; logprob: number; id?: number }[];
  perplexityPerToken: number;
  perplexityPerCharacter: number;
  /** Whether greedy decoding would produce the expected completion, where the backend knows it. */
  correctGreedy?: boolean;
  /** Aleph Alpha's further metrics (log_perplexity, entropy, ...) as the server names them. */
  extra?: Record<string, number | boolean | null>;
  usage?: Usage;
  /** Where the backend can tell: the scoring method used and its cost. */
  cost?: ScoringCost;
}

/** One result of batch scoring, with the index of the HTTP request that served it. */
export interface BatchEvaluation extends EvaluateResult {
  request: number;
  slot?: number;
}

export interface BatchOptions extends CallOptions {
  /** Slot for the prompts that have to be scored alone. */
  slot?: number;
}

export type Granularity =
  | { type: 'auto' }
  | { type: 'token' }
  | { type: 'word' }
  | { type: 'sentence' }
  | { type: 'paragraph' }
  | { type: 'custom'; delimiter: string };

export type TargetGranularity = 'complete' | 'token';
export type Postprocessing = 'none' | 'absolute' | 'square';

export interface ExplainRequest extends CallOptions {
  prompt: Prompt;
  target: string;
  model?: string;
  granularity?: Granularity;
  targetGranularity?: TargetGranularity;
  postprocessing?: Postprocessing;
  normalize?: boolean;
  /** Aleph Alpha only: attention factor of the suppressed part (AtMan). */
  controlFactor?: number;
  controlLogAdditive?: boolean;
  controlTokenOverlap?: TokenOverlap;
  /** Reports progress of multi-call explanations (occlusion). */
  onProgress?: (done: number, total: number) => void;
}

export interface TextSpanScore {
  /** UTF-16 offsets into the prompt item's text. */
  start: number;
  length: number;
  score: number;
}

export interface ImageTileScore {
  rect: { left: number; top: number; width: number; height: number };
  score: number;
}

export type ExplanationItem =
  | { type: 'text'; scores: TextSpanScore[] }
  | { type: 'image'; scores: ImageTileScore[] }
  | { type: 'token_ids'; scores: number[] }
  /** Scores of earlier target tokens on later ones (Aleph Alpha `target` item). */
  | { type: 'target'; scores: TextSpanScore[] };

export interface Explanation {
  /** The target (or target token) explained. */
  target: string;
  /** One entry per prompt item, in prompt order (a string prompt is one text item). */
  items: ExplanationItem[];
}

export interface ExplainCost {
  /** Scoring calls (one per prompt scored). */
  calls: number;
  promptTokensProcessed: number;
  /** HTTP requests, where the backend reports them (several calls can share one; one can take several). */
  requests?: number;
  /** The scoring methods used, where the backend names them. */
  methods?: string[];
}

export interface ExplainResult {
  explanations: Explanation[];
  /** Present for occlusion runs. */
  cost?: ExplainCost;
}

export interface Token {
  id: number;
  text: string;
}

export interface TokenizeRequest extends CallOptions {
  text: string;
  model?: string;
}

export interface DetokenizeRequest extends CallOptions {
  ids: number[];
  model?: string;
}

export interface ModelInfo {
  id: string;
  description?: string;
  maxContextSize?: number;
}

export interface Capabilities {
  stream: boolean;
  /** Can score a given completion (evaluate). */
  score: boolean;
  explainNatively: boolean;
  infill: boolean;
  images: boolean;
  embed: boolean;
  tokenize: boolean;
  logProbs: boolean;
  /** Said to the user where a feature is missing or limited (e.g. an old llama.cpp server). */
  notes: string[];
}

export interface Backend {
  readonly kind: BackendKind;
  /** Asks the server where needed (a llama.cpp server's age decides what it can do). */
  capabilities(options?: CallOptions): Promise<Capabilities>;
  complete(request: CompletionRequest): Promise<CompletionResult>;
  stream(request: CompletionRequest): AsyncIterable<CompletionDelta>;
  evaluate(request: EvaluateRequest): Promise<EvaluateResult>;
  /** Native explanation; backends without one leave it out and the core builds it by occlusion. */
  explain?(request: ExplainRequest): Promise<ExplainResult>;
  /**
   * Slot-aware scoring: how many server slots can score at once. A backend that has it honours
   * `EvaluateRequest.slot`, so the engine can keep each slot's prompt cache warm.
   */
  scoringSlots?(options?: CallOptions): Promise<number>;
  /** Batch scoring: one target after several prompts in as few requests as it can; results in prompt order. */
  evaluateBatch?(prompts: Prompt[], expected: string, options?: BatchOptions): Promise<BatchEvaluation[]>;
  tokenize(request: TokenizeRequest): Promise<Token[]>;
  detokenize(request: DetokenizeRequest): Promise<string>;
  models(options?: CallOptions): Promise<ModelInfo[]>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** What every backend needs to be built; backend-specific extras are in each folder's options type. */
export interface BackendOptions {
  url: string;
  /** API token: only from SecretStorage or an environment variable, never from settings. */
  token?: string;
  model?: string;
  proxy?: string;
  timeouts?: HttpTimeouts;
  retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number; maxTotalMs?: number };
  /** Proxy bypass and reply size limits. */
  network?: NetworkOptions;
  /** Extra headers (tests, proxies). Never used to carry the token. */
  headers?: Record<string, string>;
  /** Cookies kept for this profile (a hosted server's session); without one, each backend keeps its own. */
  cookies?: CookieJar;
  /** Backend-specific settings of the profile (e.g. Aleph Alpha's `nice`, `hosting`); each backend reads its own. */
  extras?: Record<string, unknown>;
}

/** Text of a prompt's text items; what segmentation and occlusion work on. */
export function promptText(prompt: Prompt): string {
  if (typeof prompt === 'string') return prompt;
  return prompt.map((item) => (item.type === 'text' ? item.text : '')).join('');
}
