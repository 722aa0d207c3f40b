import { kindOf, messageOf } from '../../core/errors';
import * as vscode from 'vscode';
import { renderCache } from '../common/renderCache';
import type { Token } from '../../core/backend';
import { config } from '../../config';
import type { Ctx, ServiceKey } from '../../ctx';
import { backendRegistry, type Connection } from '../common/backends';
import { isPromptFile, readPromptSource } from '../common/promptSource';
import { shouldCount, waitingReason, type CountSituation } from './countPolicy';

const DEBOUNCE_MS = 400;
const CACHE_SIZE = 64;
const MAX_COUNTED_CHARACTERS = 1_000_000;

/** The count of one document's current prompt, as CodeLens and the status bar show it. */
export type TokenCountState =
  | { status: 'pending' }
  | { status: 'counted'; tokens: number; selection: boolean; profile: string }
  /** The server did not answer; `detail` says which one. */
  | { status: 'unreachable'; detail: string }
  /** The `.prompt` file has errors (shown in Problems), so there is no prompt to count. */
  | { status: 'template-errors'; detail: string }
  /** Counting failed for another reason (no profile, ...): `detail` says why. */
  | { status: 'failed'; detail: string };

type TokenCountFailure = Extract<TokenCountState, { detail: string }>;

/**
 * Counts the tokens of the current prompt (selection, else rendered `.prompt`, else document) with
 * the active backend, debounced, cancelling stale requests and caching by text. Runs only for
 * `.prompt` documents, or for a selection once a Prompt Lens command was used: no request is made
 * for every file someone opens. In an untrusted workspace nothing is sent until the user runs a
 * Prompt Lens command (`shouldCount`), and then only to a profile the user configured
 * (`chooseProfile` ignores a file's `backend:` there).
 */
export class TokenCounter implements vscode.Disposable {
  private readonly states = new Map<string, TokenCountState>();
  private readonly cache = new Map<string, Token[]>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: AbortController | undefined;
  private commandUsed = false;
  private reportedFailure = '';
  /** Fired with the document whose count changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    const activeDocument = (document: vscode.TextDocument): boolean =>
      vscode.window.activeTextEditor?.document === document;
    this.subscriptions = [
      this.changed,
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor === vscode.window.activeTextEditor) this.schedule();
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && activeDocument(event.document)) this.schedule();
      }),
      ctx.settings.onDidChange(() => this.schedule(0)),
      vscode.workspace.onDidCloseTextDocument((document) => this.states.delete(document.uri.toString())),
      // A file the active `.prompt` file includes changed on disk, so its count may have too.
      ctx.service(renderCache).onDidDrop((uri) => {
        if (vscode.window.activeTextEditor?.document.uri.toString() === uri) this.schedule();
      }),
    ];
    this.schedule(0);
  }

  /** The last count of `document` (undefined: never counted). */
  stateOf(document: vscode.TextDocument): TokenCountState | undefined {
    return this.states.get(document.uri.toString());
  }

  /** A Prompt Lens command ran: from now on a selection in any document is counted. */
  noteCommandUsed(): void {
    if (this.commandUsed) return;
    this.commandUsed = true;
    this.schedule(0);
  }

  /** Tokens of `text` on a connection, from the cache when the same text was asked before. */
  async tokenize(connection: Connection, text: string, signal?: AbortSignal): Promise<Token[]> {
    const key = JSON.stringify([connection.profile, connection.model ?? null, text]);
    const cached = this.cache.get(key);
    if (cached) {
      // Most recently used last, so the oldest entry is the first to go.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const tokens = await connection.backend.tokenize({
      text,
      ...(connection.model !== undefined && { model: connection.model }),
      ...(signal && { signal }),
    });
    this.cache.set(key, tokens);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value ?? '');
    return tokens;
  }

  /** Counts the active editor's prompt after `delayMs` of quiet; a newer call replaces an older one. */
  schedule(delayMs = DEBOUNCE_MS): void {
    if (this.timer) clearTimeout(this.timer);
    // Counting follows the document, not the command that asked for it (e.g. a "Run with the
    // active profile"): the timer starts outside any command run.
    this.timer = this.ctx.runs.outside(() =>
      setTimeout(() => {
        this.timer = undefined;
        void this.count();
      }, delayMs),
    );
  }

  private situation(editor: vscode.TextEditor): CountSituation {
    return {
      isPromptFile: isPromptFile(editor.document),
      hasSelection: !editor.selection.isEmpty,
      commandUsed: this.commandUsed,
      workspaceTrusted: vscode.workspace.isTrusted,
    };
  }

  private async count(): Promise<void> {
    this.running?.abort();
    this.running = undefined;
    const editor = vscode.window.activeTextEditor;
    if (!config.tokenCountEnabled() || !editor || !shouldCount(this.situation(editor))) {
      this.ctx.statusBar.setTokenCount(
        undefined,
        editor ? (waitingReason(this.situation(editor)) ?? '') : '',
      );
      return;
    }
    const controller = new AbortController();
    this.running = controller;
    const { document } = editor;
    const key = document.uri.toString();
    const version = document.version;
    const selectionBefore = editor.selection;
    const stale = (): boolean =>
      controller.signal.aborted || document.version !== version || !editor.selection.isEqual(selectionBefore);
    // A known count stays shown while the next one is asked: no flicker on every pause in typing.
    if (!this.states.has(key)) this.setState(key, { status: 'pending' });
    let state: Exclude<TokenCountState, { status: 'pending' }>;
    let connection: Connection | undefined;
    try {
      const source = await readPromptSource(this.ctx, editor);
      // Sending megabytes on every pause in typing would stall the editor for a number no model can use.
      if (source.text.length > MAX_COUNTED_CHARACTERS)
        throw new Error(
          `the prompt has more than ${MAX_COUNTED_CHARACTERS.toLocaleString('en-US')} characters, more than a model reads; it is not counted as you type`,
        );
      connection = await this.ctx
        .service(backendRegistry)
        .connect(source.settings?.backend, source.settings?.model);
      const tokens = await this.tokenize(connection, source.text, controller.signal);
      state = {
        status: 'counted',
        tokens: tokens.length,
        selection: source.kind === 'selection',
        profile: connection.profile.name,
      };
    } catch (error) {
      if (stale()) return;
      state = failureState(error);
      this.logFailure(state);
    } finally {
      if (this.running === controller) this.running = undefined;
    }
    if (stale()) return;
    this.setState(key, state);
    if (connection) this.ctx.statusBar.setModel(connection.model);
    if (state.status === 'counted')
      this.ctx.statusBar.setTokenCount(
        state.tokens,
        state.selection ? 'Tokens of the selection.' : 'Tokens of the prompt.',
      );
    else this.ctx.statusBar.setTokenCount(undefined, `Tokens not counted: ${state.detail}`);
  }

  private setState(key: string, state: TokenCountState): void {
    if (JSON.stringify(this.states.get(key)) === JSON.stringify(state)) return;
    this.states.set(key, state);
    this.changed.fire(vscode.Uri.parse(key));
  }

  /** Once per distinct problem: counting runs on every pause in typing. */
  private logFailure({ detail }: TokenCountFailure): void {
    if (detail === this.reportedFailure) return;
    this.reportedFailure = detail;
    this.ctx.log.warn(`token count: ${detail}`);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.running?.abort();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

function failureState(error: unknown): TokenCountFailure {
  const kind = kindOf(error);
  const message = messageOf(error);
  if (kind === 'connection' || kind === 'timeout') return { status: 'unreachable', detail: message };
  if (kind === 'template') return { status: 'template-errors', detail: message };
  return { status: 'failed', detail: message };
}

export const tokenCounter: ServiceKey<TokenCounter> = {
  name: 'tokenCounter',
  create: (ctx) => new TokenCounter(ctx),
};

/** Called by Prompt Lens commands: a selection is counted from then on (see `TokenCounter`). */
export function noteCommandUsed(ctx: Ctx): void {
  ctx.service(tokenCounter).noteCommandUsed();
}
