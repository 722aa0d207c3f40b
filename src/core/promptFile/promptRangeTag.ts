// `{% promptrange name %}…{% endpromptrange %}`: names a region of the rendered prompt.
import {
  Tag,
  type Context,
  type Emitter,
  type Liquid,
  type Parser,
  type TagToken,
  type Template,
  type TopLevelToken,
} from 'liquidjs';
import type { TagClass, TagEnv } from './tagEnv';

export function promptRangeTag(env: TagEnv): TagClass {
  return class PromptRangeTag extends Tag {
    private readonly rangeName: string;
    private readonly templates: Template[] = [];
    private readonly bodyBegin: number;
    private bodyEnd = -1;

    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
      super(token, remainTokens, liquid);
      this.rangeName = this.readName();
      this.bodyBegin = token.end;
      let closed = false;
      const stream = parser
        .parseStream(remainTokens)
        .on('template', (tpl: Template) => {
          this.templates.push(tpl);
        })
        .on('tag:endpromptrange', (end: TagToken) => {
          this.bodyEnd = end.begin;
          closed = true;
          stream.stop();
        })
        .on('end', () => {
          if (!closed) throw new Error(`tag ${token.getText()} not closed`);
        });
      stream.start();
    }

    *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
      const start = emitter.buffer.length;
      yield this.liquid.renderer.renderTemplates(this.templates, ctx, emitter);
      if (emitter === env.recorder.tracked && env.recorder.isMain(this.token)) {
        env.recorder.addRange(
          this.rangeName,
          start,
          emitter.buffer.length,
          this.bodyBegin,
          this.bodyEnd - this.bodyBegin,
        );
      }
    }

    // liquidjs drives children() as a generator (it may load partials); ours has nothing to wait for.
    // eslint-disable-next-line require-yield
    *children(): Generator<unknown, Template[], unknown> {
      return this.templates;
    }

    private readName(): string {
      this.tokenizer.skipBlank();
      const ident = this.tokenizer.readIdentifier();
      if (ident.content) return ident.content;
      const quoted = this.tokenizer.readQuoted();
      if (quoted) return quoted.getText().slice(1, -1);
      throw new Error('promptrange: expected a name, e.g. {% promptrange examples %}');
    }
  };
}
