import * as vscode from 'vscode';
import { parseProfiles, type Profile } from '../../core/profile';
import { config } from '../../config';
import { PromptLensError } from '../../core/errors';
import type { Ctx } from '../../ctx';

/**
 * The configured profiles, parsed once per settings change and shared by every reader; invalid
 * entries are logged (once per change) and skipped.
 */
export function readProfiles(ctx: Ctx): readonly Profile[] {
  return ctx.settings.snapshot('profiles', config.profiles(), (raw) => {
    const { profiles, problems } = parseProfiles(raw);
    if (problems.length > 0) ctx.log.warn(`ignoring invalid profiles:\n${problems.join('\n')}`);
    return profiles;
  });
}

function noProfile(name: string): PromptLensError {
  return new PromptLensError(
    'configuration',
    name
      ? `There is no profile named "${name}". Select a profile.`
      : 'No profile is selected. Select a profile.',
  );
}

/**
 * The profile a request goes to: the active one, or the one a `.prompt` file names in `backend:`.
 * In an untrusted workspace a file cannot pick the profile, so it cannot send a stored token anywhere.
 */
export function resolveProfile(ctx: Ctx, requested?: string): Profile {
  const { profile, ignored } = chooseProfile(
    readProfiles(ctx),
    config.activeProfile(),
    requested,
    vscode.workspace.isTrusted,
  );
  if (ignored === 'untrusted')
    ctx.log.info(`untrusted workspace: ignoring the prompt file's backend "${requested}"`);
  if (ignored === 'unknown')
    ctx.log.warn(
      `the prompt file asks for profile "${requested}", which does not exist; using the active profile`,
    );
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
  if (!active) throw noProfile(activeName);
  return { profile: active, ...(ignored && { ignored }) };
}
