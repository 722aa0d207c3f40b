// Which profile (server) a request goes to, decided once for every surface: the active profile, or
// the one a `.prompt` file names in `backend:` (trusted workspaces only), and how that is said.
import { isMap, isScalar, parseDocument } from 'yaml';
import { PromptLensError } from '../errors';
import type { Profile } from '../profile';
import { splitFrontMatter } from '../promptFile/index';

export interface ProfileChoiceInput {
  profiles: readonly Profile[];
  /** The `promptLens.activeProfile` setting. */
  activeName: string;
  /** The file's `backend:` value, if it has one. */
  requested?: string | undefined;
  /** A file may pick the profile only in a trusted workspace: it could send a stored token anywhere. */
  trusted: boolean;
  /** "Run with the active profile": the file's `backend:` is ignored for this one run. */
  ignoreFile?: boolean;
}

/** Why the file's `backend:` is not followed. */
export type IgnoredBackend = 'untrusted' | 'overridden';

export interface ProfileChoice {
  /** The profile the request goes to; undefined when there is none to use (`profileOf` says why). */
  profile: Profile | undefined;
  /** Who picked it: the file's `backend:`, or the `promptLens.activeProfile` setting. */
  setBy: 'file' | 'active';
  /** The file's `backend:` value, when it has one. */
  requested?: string;
  /** Set when the file names a profile that is not followed. */
  ignored?: IgnoredBackend;
  activeName: string;
  /** Names of the configured profiles, for the message when a name matches none. */
  names: readonly string[];
}

export function chooseProfile(input: ProfileChoiceInput): ProfileChoice {
  const { profiles, activeName, trusted, ignoreFile = false } = input;
  const requested = input.requested?.trim() || undefined;
  const names = profiles.map((p) => p.name);
  const base = { activeName, names, ...(requested !== undefined && { requested }) };
  if (requested !== undefined && trusted && !ignoreFile) {
    // A name that matches no profile is not silently replaced by the active one: the request would
    // go to a server the file did not ask for.
    return { ...base, setBy: 'file', profile: profiles.find((p) => p.name === requested) };
  }
  const ignored: IgnoredBackend | undefined =
    requested === undefined ? undefined : ignoreFile ? 'overridden' : 'untrusted';
  return {
    ...base,
    setBy: 'active',
    profile: profiles.find((p) => p.name === activeName),
    ...(ignored && { ignored }),
  };
}

/** The chosen profile, or a `configuration` error saying which name matched none and what to do. */
export function profileOf(choice: ProfileChoice): Profile {
  if (choice.profile) return choice.profile;
  if (choice.setBy === 'file')
    throw new PromptLensError(
      'configuration',
      `This file's \`backend:\` names the profile "${choice.requested}", which is not configured (${configuredNames(choice.names)}). Correct the name, or run with the active profile.`,
    );
  throw new PromptLensError(
    'configuration',
    choice.activeName
      ? `There is no profile named "${choice.activeName}". Select a profile.`
      : 'No profile is selected. Select a profile.',
  );
}

function configuredNames(names: readonly string[]): string {
  if (names.length === 0) return 'there are no profiles';
  return `profiles: ${names.map((n) => `"${n}"`).join(', ')}`;
}

/** What the status bar says about the server of the active document. */
export interface ServerStatus {
  /** Short: the profile's name and who picked it. */
  text: string;
  /** One sentence or two for the tooltip. */
  detail: string;
  /** The file names a profile that does not exist: shown as a warning. */
  warning: boolean;
}

export function describeServer(choice: ProfileChoice): ServerStatus {
  const where = (profile: Profile) => `"${profile.name}" (${hostOf(profile.url)})`;
  if (choice.setBy === 'file') {
    if (!choice.profile)
      return {
        text: `${choice.requested} (set by the file, not configured)`,
        detail: `This file's \`backend:\` names "${choice.requested}", which is not a configured profile: its requests fail until the name is corrected. Run with the active profile from the error, or select another.`,
        warning: true,
      };
    return {
      text: `${choice.profile.name} (set by the file)`,
      detail: `Requests from this file go to ${where(choice.profile)}: its \`backend:\` picks the profile. The active profile is "${choice.activeName}".`,
      warning: false,
    };
  }
  if (!choice.profile)
    return {
      text: 'no profile',
      detail: choice.activeName
        ? `There is no profile named "${choice.activeName}".`
        : 'No profile is selected.',
      warning: false,
    };
  const ignored =
    choice.ignored === 'untrusted'
      ? ` This file's \`backend: ${choice.requested}\` is ignored in an untrusted workspace.`
      : '';
  return {
    text: choice.profile.name,
    detail: `Requests go to the active profile ${where(choice.profile)}.${ignored}`,
    warning: false,
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Offset of the `backend` key in a `.prompt` file's front matter (where "Go to line" goes), if any. */
export function backendKeyOffset(source: string): number | undefined {
  const { yaml } = splitFrontMatter(source);
  if (!yaml) return undefined;
  const contents = parseDocument(yaml.text, { keepSourceTokens: true }).contents;
  if (!isMap(contents)) return undefined;
  for (const pair of contents.items) {
    if (isScalar(pair.key) && pair.key.value === 'backend' && pair.key.range)
      return yaml.start + pair.key.range[0];
  }
  return undefined;
}
