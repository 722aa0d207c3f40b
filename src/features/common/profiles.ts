import * as vscode from 'vscode';
import { parseProfiles, type Profile } from '../../core/profile';
import { chooseProfile, profileOf, type ProfileChoice } from '../../core/useCases/index';
import { config } from '../../config';
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

/**
 * Which profile a file's `backend:` (or none) leads to here: this workspace's trust, and whether this
 * command run is a "Run with the active profile" (see core/useCases/profile.ts).
 */
export function profileChoice(ctx: Ctx, requested?: string): ProfileChoice {
  return chooseProfile({
    profiles: readProfiles(ctx),
    activeName: config.activeProfile(),
    requested,
    trusted: vscode.workspace.isTrusted,
    ignoreFile: ctx.runs.current?.ignoreFileBackend ?? false,
  });
}

/**
 * The profile a request goes to: the active one, or the one a `.prompt` file names in `backend:`.
 * In an untrusted workspace a file cannot pick the profile, so it cannot send a stored token anywhere.
 * A name that matches no profile is an error (the file asked for another server). The command run
 * under way learns that the file chose, so its error can offer "Go to line" and "Run with the
 * active profile".
 */
export function resolveProfile(ctx: Ctx, requested?: string): Profile {
  const choice = profileChoice(ctx, requested);
  if (choice.ignored === 'untrusted')
    ctx.log.info(`untrusted workspace: ignoring the prompt file's backend "${choice.requested}"`);
  const run = ctx.runs.current;
  if (run && choice.setBy === 'file' && choice.requested !== undefined)
    run.fileChoice = { profile: choice.requested, configured: choice.profile !== undefined };
  return profileOf(choice);
}
