// The hooks every e2e suite repeats: user settings and a fresh workbench before its tests, a screenshot
// of each failed test, the page closed and the settings put back after.
import type { Page } from 'playwright-core';
import { useUserSettings } from './userSettings';
import { Workbench } from './workbench';

export interface WorkbenchSuite {
  readonly workbench: Workbench;
  readonly page: Page;
}

/**
 * Registers the hooks in the calling `describe`. `settings` is read when the hook runs, after the
 * `before` hooks registered earlier (e.g. one that starts a test server whose URL it names).
 */
export function workbenchSuite(settings: () => Record<string, unknown> = () => ({})): WorkbenchSuite {
  let workbench: Workbench | undefined;
  let restoreSettings: (() => void) | undefined;
  before(async () => {
    restoreSettings = useUserSettings(settings());
    workbench = await Workbench.start();
  });
  afterEach(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });
  after(async () => {
    await workbench?.page.close();
    restoreSettings?.();
  });
  const started = (): Workbench => {
    if (!workbench) throw new Error('the workbench is not started yet (use it in a test or a later hook)');
    return workbench;
  };
  return {
    get workbench() {
      return started();
    },
    get page() {
      return started().page;
    },
  };
}
