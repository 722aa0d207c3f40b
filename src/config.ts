import * as vscode from 'vscode';

/** Typed access to the `promptLens.*` settings; the one place that knows their names. */
export const config = {
  section: 'promptLens',
  raw(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('promptLens');
  },
  profiles(): unknown {
    return this.raw().get<unknown>('profiles', []);
  },
  /** Writes the profiles back where they are set (workspace if there, else the user settings). */
  async setProfiles(value: unknown): Promise<void> {
    const inspected = this.raw().inspect('profiles');
    const target =
      inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
    await this.raw().update('profiles', value, target);
  },
  activeProfile(): string {
    return this.raw().get<string>('activeProfile', '');
  },
  async setActiveProfile(name: string): Promise<void> {
    await this.raw().update('activeProfile', name, vscode.ConfigurationTarget.Global);
  },
  maxTokens(): number {
    return this.raw().get<number>('completion.maxTokens', 64);
  },
  temperature(): number {
    return this.raw().get<number>('completion.temperature', 0);
  },
  topLogProbs(): number {
    return this.raw().get<number>('completion.topLogProbs', 5);
  },
  inlineAutoTrigger(): boolean {
    return vscode.workspace.isTrusted && this.raw().get<boolean>('inline.autoTrigger', false);
  },
  inlineDebounceMs(): number {
    return this.raw().get<number>('inline.debounceMs', 500);
  },
  explainGranularity(): string {
    return this.raw().get<string>('explain.granularity', 'auto');
  },
  explainPostprocessing(): 'none' | 'absolute' | 'square' {
    return this.raw().get<'none' | 'absolute' | 'square'>('explain.postprocessing', 'none');
  },
  explainNormalize(): boolean {
    return this.raw().get<boolean>('explain.normalize', false);
  },
  explainCostThreshold(): number {
    return this.raw().get<number>('explain.costThreshold', 40);
  },
  underlineLowProbability(): boolean {
    return this.raw().get<boolean>('hover.underlineLowProbability', false);
  },
  lowProbabilityThreshold(): number {
    return this.raw().get<number>('hover.lowProbabilityThreshold', 0.1);
  },
  tokenCountEnabled(): boolean {
    return this.raw().get<boolean>('tokenCount.enabled', true);
  },
  /** Size caps of files a template reads (`{% image %}`, `{% include %}`). */
  fileLimits(): { maxImageBytes: number; maxIncludeBytes: number } {
    return {
      maxImageBytes: this.raw().get<number>('files.maxImageBytes', 20 * 1024 * 1024),
      maxIncludeBytes: this.raw().get<number>('files.maxIncludeBytes', 1024 * 1024),
    };
  },
  timeoutMs(): number {
    return this.raw().get<number>('http.timeoutSeconds', 305) * 1000;
  },
  /** Connecting, and the first byte of a probe, a model listing or a stream. */
  connectTimeoutMs(): number {
    return this.raw().get<number>('http.connectTimeoutSeconds', 15) * 1000;
  },
  deadlineMs(): number {
    return this.raw().get<number>('http.deadlineSeconds', 900) * 1000;
  },
  /** Reply size limits in bytes. */
  replyLimits(): { maxReplyBytes: number; maxEventBytes: number } {
    const MB = 1024 * 1024;
    return {
      maxReplyBytes: Math.round(this.raw().get<number>('http.maxReplyMB', 64) * MB),
      maxEventBytes: Math.round(this.raw().get<number>('http.maxEventMB', 4) * MB),
    };
  },
  /** Whether loopback targets go through the proxy too; never in an untrusted workspace's say. */
  proxyLoopback(): boolean {
    return vscode.workspace.isTrusted && this.raw().get<boolean>('http.proxyLoopback', false);
  },
  /** VS Code's own `http.noProxy`: hosts that bypass the proxy. */
  httpNoProxy(): string[] {
    const hosts = vscode.workspace.getConfiguration('http').get<unknown>('noProxy', []);
    return Array.isArray(hosts) ? hosts.filter((host): host is string => typeof host === 'string') : [];
  },
  /** VS Code's `http.proxySupport`: "off" means no proxy at all, not even the environment's. */
  httpProxyOff(): boolean {
    return vscode.workspace.getConfiguration('http').get<string>('proxySupport', 'override') === 'off';
  },
  /** VS Code's `http.proxyStrictSSL`: false accepts any certificate on connections through a proxy. */
  httpProxyStrictSSL(): boolean {
    return vscode.workspace.getConfiguration('http').get<boolean>('proxyStrictSSL', true) !== false;
  },
  /** VS Code's own proxy setting, passed to the HTTP client. */
  httpProxy(): string | undefined {
    const proxy = vscode.workspace.getConfiguration('http').get<string>('proxy', '');
    return proxy || undefined;
  },
};

/** What changed: ask it as VS Code's event is asked (`affects('promptLens.hover')`). */
export interface SettingsChange {
  affects(section: string): boolean;
}

/**
 * The one listener to settings changes. Values derived from settings (the parsed profiles) are kept
 * until the setting changes, so every reader shares one snapshot. Owned by the context; features subscribe through `ctx.settings`.
 */
export class SettingsEvents implements vscode.Disposable {
  private readonly listeners = new Set<(change: SettingsChange) => void>();
  private readonly derived = new Map<string, { input: string; value: unknown }>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      const affected = ['http.proxy', 'http.noProxy', 'http.proxyStrictSSL', 'http.proxySupport'].some(
        (section) => event.affectsConfiguration(section),
      );
      if (!event.affectsConfiguration(config.section) && !affected) return;
      this.derived.clear();
      const change: SettingsChange = { affects: (section) => event.affectsConfiguration(section) };
      for (const listener of [...this.listeners]) listener(change);
    });
  }

  /** Calls `listener` after each change of `promptLens.*` (or of the proxy settings the HTTP client uses). */
  onDidChange(listener: (change: SettingsChange) => void): vscode.Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * A value computed from a setting once per change of it (e.g. the parsed profiles). The raw value
   * is compared too: a setting written a moment ago is read before VS Code reports the change.
   */
  snapshot<T>(key: string, raw: unknown, compute: (raw: unknown) => T): T {
    const input = JSON.stringify(raw) ?? '';
    const cached = this.derived.get(key);
    if (cached && cached.input === input) return cached.value as T;
    const value = compute(raw);
    this.derived.set(key, { input, value });
    return value;
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
    this.derived.clear();
  }
}
