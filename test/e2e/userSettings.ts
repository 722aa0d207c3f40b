// Per-test user settings for the e2e layer: merged into code-server's user settings file, which the
// workbench watches, so they apply to a page opened afterwards (and to an open one, after a moment).
import * as fs from 'node:fs';
import * as path from 'node:path';

function settingsFile(): string {
  const environment = (globalThis as Record<string, unknown>)['__promptLensE2e'] as
    { userDataDir?: string } | undefined;
  if (!environment?.userDataDir)
    throw new Error(
      'the e2e environment does not expose userDataDir: run the e2e layer with scripts/run-e2e.mjs',
    );
  return path.join(environment.userDataDir, 'User', 'settings.json');
}

/** Adds `settings` to the user settings; the returned function puts the file back as it was. */
export function useUserSettings(settings: Record<string, unknown>): () => void {
  const file = settingsFile();
  const original = fs.readFileSync(file, 'utf8');
  const current = JSON.parse(original) as Record<string, unknown>;
  fs.writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2));
  return () => fs.writeFileSync(file, original);
}
