// Instruments a Liquid instance's renderer to record which template produced which output span.
// Every tag renders its children through `liquid.renderer.renderTemplates`, so replacing that one
// method on this instance (not the prototype) sees every template, per loop iteration and include.
import {
  Drop,
  LiquidError,
  RenderError,
  TokenKind,
  toValue,
  type Context,
  type Emitter,
  type Liquid,
  type Template,
} from 'liquidjs';
import type { SourceMapEntry } from './types';

/** A template token with the fields the recorder reads (liquidjs tokens carry more). */
interface TokenLike {
  begin: number;
  end: number;
  file?: string | undefined;
  trimLeft?: number | boolean;
}

export interface RawRange {
  name: string;
  start: number;
  end: number;
  sourceStart: number;
  sourceLength: number;
}

export class Recorder {
  /** The top-level output; writes to other emitters (capture) are not part of the prompt. */
  tracked: TrackingEmitter | undefined;
  readonly entries: SourceMapEntry[] = [];
  readonly ranges: RawRange[] = [];
  private readonly stack: Template[] = [];
  private depth = 0;
  /** The template of the main file an error passed through first (for errors inside includes). */
  readonly errorOrigins = new WeakMap<object, Template>();
  /** The innermost template an error passed through (its token knows the included file's name). */
  readonly errorSources = new WeakMap<object, Template>();

  /** `body` is the template text liquidjs parsed; tokens from included files have another input. */
  constructor(
    readonly bodyStart: number,
    private readonly body: string,
  ) {}

  /** Whether a token comes from the main template (not an included file). */
  isMain(token: { input?: string }): boolean {
    return token.input === this.body;
  }

  install(liquid: Liquid): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const recorder = this;
    liquid.renderer.renderTemplates = function* (
      templates: Template[],
      ctx: Context,
      emitter?: Emitter,
    ): IterableIterator<unknown> {
      const top = recorder.depth === 0;
      const out: Emitter =
        emitter ??
        (top
          ? (recorder.tracked = new TrackingEmitter((start, end) => recorder.record(start, end)))
          : new PlainEmitter());
      recorder.depth++;
      try {
        for (const tpl of templates) {
          ctx.renderLimit.check(performance.now());
          recorder.stack.push(tpl);
          try {
            const html: unknown = yield tpl.render(ctx, out);
            if (html) out.write(html);
            if (ctx.breakCalled || ctx.continueCalled) break;
          } catch (e) {
            const err = LiquidError.is(e) ? e : new RenderError(e as Error, tpl);
            if (!recorder.errorSources.has(err)) recorder.errorSources.set(err, tpl);
            if (recorder.isMain(tpl.token) && !recorder.errorOrigins.has(err))
              recorder.errorOrigins.set(err, tpl);
            throw err;
          } finally {
            recorder.stack.pop();
          }
        }
      } finally {
        recorder.depth--;
      }
      return out.buffer;
    };
  }

  /** Whole-file range of a main-file token. */
  sourceRange(token: TokenLike): { start: number; length: number } {
    return { start: this.bodyStart + token.begin, length: token.end - token.begin };
  }

  /** Range of the innermost main-file template being rendered (the tag an include came from). */
  currentMainRange(): { start: number; length: number } {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const tpl = this.stack[i];
      if (tpl && this.isMain(tpl.token)) return this.sourceRange(tpl.token);
    }
    return { start: this.bodyStart, length: 0 };
  }

  /** Records a promptrange rendered between two positions of the tracked output. */
  addRange(name: string, start: number, end: number, sourceStart: number, sourceLength: number): void {
    this.ranges.push({ name, start, end, sourceStart: this.bodyStart + sourceStart, sourceLength });
  }

  private record(start: number, end: number): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    const length = end - start;
    if (this.isMain(top.token)) {
      this.entries.push({ renderedStart: start, renderedLength: length, ...this.describe(top, length) });
      return;
    }
    // Output of an included file: attribute it to the include tag in the main file.
    if (!this.stack.some((tpl) => this.isMain(tpl.token))) return;
    const range = this.currentMainRange();
    const inner = this.describe(top, length);
    const entry: SourceMapEntry = {
      renderedStart: start,
      renderedLength: length,
      sourceStart: range.start,
      sourceLength: range.length,
      kind: 'tag',
    };
    const file = top.token.file;
    if (file !== undefined)
      entry.included = { file, start: inner.sourceStart - this.bodyStart, length: inner.sourceLength };
    this.entries.push(entry);
  }

  /** How a write of `length` characters by `tpl` maps back to its source. */
  private describe(tpl: Template, length: number): Omit<SourceMapEntry, 'renderedStart' | 'renderedLength'> {
    const token = tpl.token as TokenLike;
    if (tpl.token.kind === TokenKind.HTML)
      return {
        sourceStart: this.bodyStart + token.begin + (typeof token.trimLeft === 'number' ? token.trimLeft : 0),
        sourceLength: length,
        kind: 'text',
      };
    const rawTokens = (tpl as { tokens?: TokenLike[] }).tokens;
    if ((tpl as { name?: string }).name === 'raw' && rawTokens?.[0])
      return { sourceStart: this.bodyStart + rawTokens[0].begin, sourceLength: length, kind: 'text' };
    const range = this.sourceRange(token);
    const variable = rootVariable((tpl as { value?: unknown }).value);
    const described: Omit<SourceMapEntry, 'renderedStart' | 'renderedLength'> = {
      sourceStart: range.start,
      sourceLength: range.length,
      kind: tpl.token.kind === TokenKind.Output ? 'output' : 'tag',
    };
    if (variable !== undefined) described.variable = variable;
    return described;
  }
}

/** The first variable an output expression reads: `user` for `{{ user.name | upcase }}`. */
export function rootVariable(value: unknown): string | undefined {
  const v = value as { initial?: { postfix?: unknown[] }; filters?: { args?: unknown[] }[] } | undefined;
  const candidates: unknown[] = [
    ...(v?.initial?.postfix ?? []),
    ...(v?.filters ?? []).flatMap((f) => (f.args ?? []).map((a) => (Array.isArray(a) ? a[1] : a))),
  ];
  for (const token of candidates) {
    const props = (token as { props?: { content?: unknown }[] } | undefined)?.props;
    const first = props?.[0]?.content;
    if (typeof first === 'string') return first;
  }
  return undefined;
}

/** liquidjs's SimpleEmitter, which it does not export. */
class PlainEmitter implements Emitter {
  buffer = '';
  write(html: unknown): void {
    this.buffer += stringify(html);
  }
}

export class TrackingEmitter extends PlainEmitter {
  constructor(private readonly onWrite: (start: number, end: number) => void) {
    super();
  }
  override write(html: unknown): void {
    const start = this.buffer.length;
    super.write(html);
    if (this.buffer.length > start) this.onWrite(start, this.buffer.length);
  }
}

function stringify(value: unknown): string {
  const v: unknown = value instanceof Drop ? toValue(value) : value;
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => stringify(x)).join('');
  return String(v);
}
