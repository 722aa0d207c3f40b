import * as vscode from 'vscode';
import { parseProfiles, type Profile } from '../core/profile';
import { config } from '../config';
import type { Ctx } from '../ctx';

let reportedProblems = '';

/** The configured profiles; invalid entries are logged (once per distinct problem set) and skipped. */
export function readProfiles(ctx: Ctx): Profile[] {
  const { profiles, problems } = parseProfiles(config.profiles());
  const summary = problems.join('\n');
  if (summary && summary !== reportedProblems) {
    reportedProblems = summary;
    ctx.log.warn(`ignoring invalid profiles:\n${summary}`);
  }
  return profiles;
}

export class NoProfileError extends Error {
  readonly kind = 'configuration';
  constructor(name: string) {
    super(name ? `There is no profile named "${name}". Select a profile.` : 'No profile is selected. Select a profile.');
  }
}

/**
 * The profile a request goes to: the active one, or the one a `.prompt` file names in `backend:`.
 * In an untrusted workspace a file cannot pick the profile, so it cannot send a stored token anywhere.
 */
export function resolveProfile(ctx: Ctx, requested?: string): Profile {
  const { profile, ignored } = chooseProfile(readProfiles(ctx), config.activeProfile(), requested, vscode.workspace.isTrusted);
  if (ignored === 'untrusted') ctx.log.info(`untrusted workspace: ignoring the prompt file's backend "${requested}"`);
  if (ignored === 'unknown') ctx.log.warn(`the prompt file asks for profile "${requested}", which does not exist; using the active profile`);
  return profile;
}

/** The decision of `resolveProfile`, with workspace trust as a parameter (so it can be tested both ways). */
export function chooseProfile(
  profiles: readonly Profile[],
  activeName: string,
  requested: string | undefined,
  trusted: boolean,
): { profile: Profile; ignored?: 'untrusted' | 'unknown' } {
  let ignored: 'untrusted' | 'unknown' | undefined;
  if (requested && trusted) {
    const chosen = profiles.find((profile) => profile.name === requested);
    if (chosen) return { profile: chosen };
    ignored = 'unknown';
  } else if (requested) {
    ignored = 'untrusted';
  }
  const active = profiles.find((profile) => profile.name === activeName);
  if (!active) throw new NoProfileError(activeName);
  return { profile: active, ...(ignored && { ignored }) };
}
