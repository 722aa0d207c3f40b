// What one run of a command decided, for its error report: whether the file's `backend:` picked the
// profile (so the error can offer "Go to line" and "Run with the active profile"), and whether this
// run is that re-run. Carried through the command's awaits by an AsyncLocalStorage on the context.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface FileProfileChoice {
  /** The profile named by `backend:`. */
  profile: string;
  /** Whether a profile of that name is configured. */
  configured: boolean;
}

export interface CommandRun {
  /** "Run with the active profile": the file's `backend:` is ignored for this run. */
  readonly ignoreFileBackend: boolean;
  /** The `.prompt` document this run's prompt was read from. */
  promptDocument?: string;
  /** Set when the file's `backend:` chose the profile of this run's request. */
  fileChoice?: FileProfileChoice;
}

/** The argument that re-runs a prompt command with the active profile (see `commandArgs`). */
export const WITH_ACTIVE_PROFILE = { promptLensRun: 'with-active-profile' } as const;

/** Splits a command's arguments into the run's options and the rest. */
export function commandArgs(args: readonly unknown[]): { run: CommandRun; rest: unknown[] } {
  const first = args[0];
  const ignore =
    typeof first === 'object' &&
    first !== null &&
    (first as { promptLensRun?: unknown }).promptLensRun === WITH_ACTIVE_PROFILE.promptLensRun;
  return { run: { ignoreFileBackend: ignore }, rest: ignore ? args.slice(1) : [...args] };
}

export class CommandRuns {
  private readonly storage = new AsyncLocalStorage<CommandRun>();

  run<T>(run: CommandRun, body: () => T): T {
    return this.storage.run(run, body);
  }

  /** The command run this code is part of (none in event handlers and timers started outside one). */
  get current(): CommandRun | undefined {
    return this.storage.getStore();
  }

  /** Runs `body` (e.g. scheduling a timer) outside any command run, so it does not inherit it. */
  outside<T>(body: () => T): T {
    return this.storage.exit(body);
  }
}
