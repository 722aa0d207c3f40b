// The panel's message protocol, imported by the extension host and by the webview. Each message is a
// constant with a zod schema; both sides validate every message on arrival. `zod/mini` keeps the
// webview bundle small (about 19 KB minified against about 450 KB for the full `zod`).
import * as z from 'zod/mini';

// ---------------------------------------------------------------------------------------------
// Shared data.

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof scalar>;

export const ACTIONS = ['complete', 'evaluate', 'explain', 'tokenize'] as const;
const action = z.enum(ACTIONS);
export type RunAction = z.infer<typeof action>;

const topToken = z.object({ text: z.string(), logprob: z.number() });
const tokenLogProb = z.object({ text: z.string(), logprob: z.nullable(z.number()), top: z.array(topToken) });
export type TokenLogProbView = z.infer<typeof tokenLogProb>;

/** A scored span of the run's prompt text (offsets into `Run.promptText`). */
const span = z.object({ start: z.number(), length: z.number(), score: z.number() });
export type ScoredSpan = z.infer<typeof span>;

const rect = z.object({ left: z.number(), top: z.number(), width: z.number(), height: z.number() });
const imageTiles = z.object({ image: z.number(), tiles: z.array(z.object({ rect, score: z.number() })) });
export type ImageTilesView = z.infer<typeof imageTiles>;

const total = z.object({ name: z.string(), score: z.number() });
export type Total = z.infer<typeof total>;

const targetExplanation = z.object({
  target: z.string(),
  spans: z.array(span),
  images: z.array(imageTiles),
  perVariable: z.optional(z.array(total)),
  perRange: z.optional(z.array(total)),
});
export type TargetExplanation = z.infer<typeof targetExplanation>;

const metric = z.object({ name: z.string(), value: z.union([z.number(), z.boolean(), z.null()]) });
export type Metric = z.infer<typeof metric>;

/** One run of an action with everything needed to show and compare it later. */
const run = z.object({
  id: z.string(),
  time: z.number(),
  action,
  fileName: z.string(),
  /** The document run: a failed run's Retry in the panel is offered only while the panel shows it. */
  uri: z.optional(z.string()),
  profile: z.string(),
  model: z.optional(z.string()),
  promptText: z.string(),
  /** Images of the prompt: where they sit in `promptText` and a `data:` URL (dropped when too large to keep). */
  images: z.array(z.object({ at: z.number(), src: z.optional(z.string()) })),
  params: z.record(z.string(), z.unknown()),
  vars: z.record(z.string(), z.string()),
  completion: z.optional(
    z.object({
      text: z.string(),
      finishReason: z.string(),
      tokens: z.array(tokenLogProb),
      /** The other completions of the reply (`n` > 1), in the server's order. */
      // `index`: the completion's index in the reply (absent in history kept by older versions).
      others: z.optional(
        z.array(
          z.object({
            index: z.optional(z.int()),
            text: z.string(),
            finishReason: z.string(),
          }),
        ),
      ),
    }),
  ),
  evaluation: z.optional(
    z.object({
      expected: z.string(),
      metrics: z.array(metric),
      tokens: z.array(z.object({ text: z.string(), logprob: z.number() })),
      /** How the score was obtained and what it cost (e.g. the llama.cpp scoring method). */
      scoring: z.optional(z.string()),
    }),
  ),
  explanation: z.optional(
    z.object({
      target: z.string(),
      targets: z.array(targetExplanation),
      note: z.optional(z.string()),
      calls: z.optional(z.number()),
      /** The scoring methods and what they cost. */
      scoring: z.optional(z.string()),
    }),
  ),
  tokens: z.optional(z.array(z.object({ id: z.number(), text: z.string() }))),
  error: z.optional(z.object({ kind: z.string(), message: z.string() })),
});
export type Run = z.infer<typeof run>;
export const runSchema = run;

const field = z.object({
  key: z.string(),
  value: z.unknown(),
  /** The value as text: exactly the value for a string. */
  display: z.string(),
  editable: z.boolean(),
  /** Shown in a multi-line field. */
  multiline: z.optional(z.boolean()),
  /** Why a value is shown read-only. */
  reason: z.optional(z.string()),
});
export type FormField = z.infer<typeof field>;

/** The active prompt as the form shows it. */
const promptState = z.object({
  hasDocument: z.boolean(),
  /** The document's URI: what the panel keeps typed values per file by ('' with no document). */
  uri: z.string(),
  fileName: z.string(),
  isPromptFile: z.boolean(),
  version: z.number(),
  model: z.optional(z.string()),
  backend: z.optional(z.string()),
  params: z.array(field),
  /** Parameters the backend kind knows that the file does not set yet. */
  knownParams: z.array(z.string()),
  vars: z.array(field),
  expected: z.optional(z.string()),
  target: z.optional(z.string()),
  problems: z.array(z.string()),
});
export type PromptState = z.infer<typeof promptState>;

const profile = z.object({ name: z.string(), kind: z.string(), model: z.optional(z.string()) });

// ---------------------------------------------------------------------------------------------
// Messages. A message is `{ type, ...payload }`; each constant pairs the type with its schema.

function message<T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) {
  return { type, schema: z.object({ type: z.literal(type), ...shape }) };
}

/** Webview -> host. */
export const Ready = message('ready', {});
/** Sets a front matter value: `['params', key]`, `['vars', key]`, `['model']`, `['expected']` or `['target']`. */
export const SetFrontMatter = message('frontMatter/set', {
  path: z.union([
    z.tuple([z.enum(['params', 'vars']), z.string().check(z.minLength(1))]),
    z.tuple([z.enum(['model', 'expected', 'target'])]),
  ]),
  value: scalar,
});
export const StartRun = message('run/start', {
  action,
  /** The document the form showed (its values are for it): refused when another is shown now. */
  uri: z.optional(z.string()),
  /** Empty: the file's `backend:` or the active profile. */
  profile: z.optional(z.string()),
  model: z.optional(z.string()),
  vars: z.record(z.string(), z.string()),
  expected: z.optional(z.string()),
  target: z.optional(z.string()),
});
/** Saves typed variables as the file's defaults: all of them, or none (the host says which and why). */
export const SaveVars = message('vars/save', {
  uri: z.string(),
  values: z.record(z.string(), z.string()),
});
export const CancelRun = message('run/cancel', {});
export const ListModels = message('models/list', { profile: z.optional(z.string()) });
export const ClearHistory = message('history/clear', {});

/** Host -> webview. */
export const PromptChanged = message('prompt/changed', { state: promptState });
export const ProfilesChanged = message('profiles/changed', {
  profiles: z.array(profile),
  active: z.string(),
});
export const ModelsListed = message('models/listed', {
  profile: z.string(),
  models: z.array(z.string()),
  error: z.optional(z.string()),
});
export const RunStarted = message('run/started', { id: z.string(), action });
export const RunProgress = message('run/progress', {
  id: z.string(),
  text: z.optional(z.string()),
  done: z.optional(z.number()),
  total: z.optional(z.number()),
});
export const RunFinished = message('run/finished', { run });
export const HistoryChanged = message('history/changed', { runs: z.array(run) });
/** The variables saved as the file's defaults (the form drops their typed values). */
export const VarsSaved = message('vars/saved', { uri: z.string(), saved: z.array(z.string()) });
export const Notice = message('notice', { level: z.enum(['info', 'error']), message: z.string() });

export const webviewToHost = z.discriminatedUnion('type', [
  Ready.schema,
  SetFrontMatter.schema,
  StartRun.schema,
  SaveVars.schema,
  CancelRun.schema,
  ListModels.schema,
  ClearHistory.schema,
]);
export const hostToWebview = z.discriminatedUnion('type', [
  PromptChanged.schema,
  ProfilesChanged.schema,
  ModelsListed.schema,
  RunStarted.schema,
  RunProgress.schema,
  RunFinished.schema,
  HistoryChanged.schema,
  VarsSaved.schema,
  Notice.schema,
]);
export type WebviewToHost = z.infer<typeof webviewToHost>;
export type HostToWebview = z.infer<typeof hostToWebview>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, raw: unknown): ParseResult<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`);
  const type =
    raw && typeof raw === 'object' && 'type' in raw
      ? String((raw as { type: unknown }).type).slice(0, 40)
      : '?';
  return { ok: false, error: `bad "${type}" message (${issues.join('; ')})` };
}

export const parseWebviewToHost = (raw: unknown): ParseResult<WebviewToHost> => parseWith(webviewToHost, raw);
export const parseHostToWebview = (raw: unknown): ParseResult<HostToWebview> => parseWith(hostToWebview, raw);

/** The message of one type, for building it with its type checked. */
export type HostMessage<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;
export type WebviewMessage<T extends WebviewToHost['type']> = Extract<WebviewToHost, { type: T }>;
