// The webview's state: what the host sent, and the user's choices kept across reloads with
// `vscode.setState` (restored by `getState` when VS Code recreates the webview).
import type { HostMessage, PromptState, Run } from './protocol';
import { NO_PROMPT_STATE } from './defaults';
import { restoreFiles, type FileEdits } from './fileEdits';

export interface Persisted {
  /** '' = the file's `backend:` or the active profile. */
  profile: string;
  /** '' = the file's or the profile's model. */
  model: string;
  /** Variables, Expected and Target typed in the panel, per document URI (used for runs; not written to the file). */
  files: Record<string, FileEdits>;
  selectedRunId?: string;
  /** Runs marked for comparison (at most two). */
  compare: string[];
  /** Target token shown by the explanation view; -1 = all tokens together. */
  targetIndex: number;
  mode: 'result' | 'compare';
}

export interface Running {
  id: string;
  action: Run['action'];
  text?: string;
  done?: number;
  total?: number;
}

export interface State {
  persisted: Persisted;
  prompt: PromptState;
  profiles: HostMessage<'profiles/changed'>['profiles'];
  activeProfile: string;
  models: { profile: string; list: string[]; error?: string } | undefined;
  runs: Run[];
  /** The last run finished in this session (failed runs are not in the history). */
  current: Run | undefined;
  running: Running | undefined;
  notice: { level: 'info' | 'error'; message: string } | undefined;
}

export const DEFAULT_PERSISTED: Persisted = {
  profile: '',
  model: '',
  files: {},
  compare: [],
  targetIndex: -1,
  mode: 'result',
};

/** Reads back saved state defensively: it may come from an older version of the panel. */
export function restorePersisted(saved: unknown): Persisted {
  if (!saved || typeof saved !== 'object') return { ...DEFAULT_PERSISTED };
  const s = saved as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  // An older panel kept one set of values for every file: not knowing whose they were, they are dropped.
  const selectedRunId = text(s['selectedRunId']);
  return {
    profile: text(s['profile']) ?? '',
    model: text(s['model']) ?? '',
    files: restoreFiles(s['files']),
    ...(selectedRunId !== undefined && { selectedRunId }),
    compare: Array.isArray(s['compare'])
      ? s['compare'].filter((id): id is string => typeof id === 'string').slice(0, 2)
      : [],
    targetIndex:
      typeof s['targetIndex'] === 'number' && Number.isInteger(s['targetIndex']) ? s['targetIndex'] : -1,
    mode: s['mode'] === 'compare' ? 'compare' : 'result',
  };
}

export function initialState(persisted: Persisted): State {
  return {
    persisted,
    prompt: NO_PROMPT_STATE,
    profiles: [],
    activeProfile: '',
    models: undefined,
    runs: [],
    current: undefined,
    running: undefined,
    notice: undefined,
  };
}

/** The run the result view shows: the one picked in the history, else the latest. */
export function shownRun(state: State): Run | undefined {
  const picked = state.persisted.selectedRunId;
  if (picked) {
    const run =
      state.runs.find((r) => r.id === picked) ?? (state.current?.id === picked ? state.current : undefined);
    if (run) return run;
  }
  return state.current ?? state.runs[0];
}
