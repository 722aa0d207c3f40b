// The panel's webview: validates every message from the host, keeps its state across reloads and
// draws the form, the shown run, the history and the compare view with plain DOM.
import { parseHostToWebview, type HostToWebview, type RunAction, type WebviewToHost } from './protocol';
import { h } from './dom';
import { editsOf, runValues, withEdits } from './fileEdits';
import { initialState, restorePersisted, shownRun, type Persisted, type State } from './state';
import { compareView } from './views/compare';
import { formView } from './views/form';
import { historyView } from './views/history';
import { resultView, runningView } from './views/result';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: Persisted): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const state: State = initialState(restorePersisted(vscode.getState()));
const app = document.getElementById('app') ?? document.body;

function send(message: WebviewToHost): void {
  vscode.postMessage(message);
}

function persist(patch: Partial<Persisted>): void {
  state.persisted = { ...state.persisted, ...patch };
  vscode.setState(state.persisted);
  render();
}

/** Runs with the values of the file shown, and says which file they are for (the host checks it). */
function run(action: RunAction): void {
  const { persisted, prompt } = state;
  send({
    type: 'run/start',
    action,
    ...runValues(prompt, editsOf(persisted.files, prompt.uri)),
    ...(persisted.profile && { profile: persisted.profile }),
    ...(persisted.model && { model: persisted.model }),
  });
}

function receive(message: HostToWebview): void {
  switch (message.type) {
    case 'prompt/changed':
      // A notice about one file (e.g. what could not be saved) is not shown over another.
      if (message.state.uri !== state.prompt.uri) state.notice = undefined;
      state.prompt = message.state;
      break;
    case 'profiles/changed': {
      const first = state.profiles.length === 0;
      state.profiles = message.profiles;
      state.activeProfile = message.active;
      if (first)
        send({ type: 'models/list', ...(state.persisted.profile && { profile: state.persisted.profile }) });
      break;
    }
    case 'models/listed':
      state.models = {
        profile: message.profile,
        list: message.models,
        ...(message.error !== undefined && { error: message.error }),
      };
      break;
    case 'run/started':
      state.running = { id: message.id, action: message.action };
      state.notice = undefined;
      break;
    case 'run/progress':
      if (state.running?.id === message.id)
        state.running = {
          ...state.running,
          ...(message.text !== undefined && { text: message.text }),
          ...(message.done !== undefined && { done: message.done }),
          ...(message.total !== undefined && { total: message.total }),
        };
      break;
    case 'run/finished':
      state.running = undefined;
      state.current = message.run;
      state.persisted = {
        ...state.persisted,
        selectedRunId: message.run.id,
        targetIndex: -1,
        mode: 'result',
      };
      vscode.setState(state.persisted);
      break;
    case 'history/changed':
      state.runs = message.runs;
      state.persisted = {
        ...state.persisted,
        compare: state.persisted.compare.filter((id) => message.runs.some((r) => r.id === id)),
      };
      break;
    case 'vars/saved': {
      // Saved values are now the file's defaults: they are no longer "edited here".
      const edits = editsOf(state.persisted.files, message.uri);
      const vars = Object.fromEntries(
        Object.entries(edits.vars).filter(([key]) => !message.saved.includes(key)),
      );
      state.persisted = {
        ...state.persisted,
        files: withEdits(state.persisted.files, message.uri, { ...edits, vars }),
      };
      vscode.setState(state.persisted);
      break;
    }
    case 'notice':
      state.notice = { level: message.level, message: message.message };
      break;
  }
  render();
}

function render(): void {
  // Re-rendering replaces the elements: put focus and the caret back where they were.
  const focused =
    document.activeElement instanceof HTMLElement && document.activeElement.id
      ? document.activeElement.id
      : undefined;
  const input = textFieldOf(document.activeElement);
  const selection = input ? [input.selectionStart, input.selectionEnd] : undefined;
  const scroll = input instanceof HTMLTextAreaElement ? [input.scrollTop, input.scrollLeft] : undefined;

  const { persisted } = state;
  const children: HTMLElement[] = [formView(state, { send, persist, run })];
  if (state.notice)
    children.push(
      h(
        'p',
        {
          class: state.notice.level === 'error' ? 'error-box' : 'info-box',
          role: state.notice.level === 'error' ? 'alert' : 'status',
        },
        state.notice.message,
      ),
    );
  const marked = persisted.compare
    .map((id) => state.runs.find((r) => r.id === id))
    .filter((r) => r !== undefined);
  const [a, b] = [...marked].sort((x, y) => x.time - y.time);
  if (persisted.mode === 'compare' && a && b) {
    children.push(compareView(a, b, () => persist({ mode: 'result' })));
  } else if (state.running) {
    children.push(runningView(state.running));
  } else {
    const shown = shownRun(state);
    if (shown) {
      // A failed run of the file shown can be run again; on another file, Retry would run that one.
      const retry = shown.error && shown.uri === state.prompt.uri ? () => run(shown.action) : undefined;
      children.push(
        resultView(shown, persisted.targetIndex, (targetIndex) => persist({ targetIndex }), retry),
      );
    }
  }
  children.push(
    historyView(state.runs, shownRun(state)?.id, persisted.compare, {
      show: (id) => persist({ selectedRunId: id, mode: 'result', targetIndex: -1 }),
      toggleCompare: (id) => {
        const compare = persisted.compare.includes(id)
          ? persisted.compare.filter((x) => x !== id)
          : [...persisted.compare, id].slice(-2);
        persist({ compare });
      },
      compare: () => persist({ mode: 'compare' }),
      clear: () => send({ type: 'history/clear' }),
    }),
  );
  app.replaceChildren(...children);

  if (focused) {
    const again = document.getElementById(focused);
    if (again) {
      again.focus();
      const field = textFieldOf(again);
      if (selection && field) field.setSelectionRange(selection[0] ?? null, selection[1] ?? null);
      if (scroll && field) [field.scrollTop, field.scrollLeft] = [scroll[0] ?? 0, scroll[1] ?? 0];
    }
  }
}

/** A text input or a textarea (whose caret is put back after a render). */
function textFieldOf(element: Element | null): HTMLInputElement | HTMLTextAreaElement | undefined {
  if (element instanceof HTMLTextAreaElement) return element;
  return element instanceof HTMLInputElement && element.type === 'text' ? element : undefined;
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parseHostToWebview(event.data);
  if (!parsed.ok) {
    console.warn(`Prompt Lens panel: ignored ${parsed.error}`);
    return;
  }
  receive(parsed.message);
});

render();
send({ type: 'ready' });
