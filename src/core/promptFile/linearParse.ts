// liquidjs takes tokens off the front of an array with `shift()`, which on a large array (in V8's
// large-object space) moves every remaining element: parsing was quadratic, 1 MB of tags took
// seconds. A queue with a moving head gives the same `shift()` and `length` in constant time.
import { Liquid, LookupType, Parser, type Template, type TopLevelToken } from 'liquidjs';

class TokenQueue {
  private head = 0;
  constructor(private readonly tokens: (TopLevelToken | undefined)[]) {}
  get length(): number {
    return this.tokens.length - this.head;
  }
  shift(): TopLevelToken | undefined {
    if (this.head >= this.tokens.length) return undefined;
    const token = this.tokens[this.head];
    // Let parsed tokens be collected.
    this.tokens[this.head++] = undefined;
    return token;
  }
}

/** A Parser whose tags see a TokenQueue as their "remaining tokens" (they only shift and count). */
class LinearParser extends Parser {
  override parseTokens(tokens: TopLevelToken[]): Template[] {
    return super.parseTokens(new TokenQueue(tokens) as unknown as TopLevelToken[]);
  }
}

/** A Liquid engine that parses templates and included files in linear time. */
export class LinearLiquid extends Liquid {
  override parse(html: string, filepath?: string): Template[] {
    return new LinearParser(this).parse(html, filepath);
  }
  override _parsePartialFile(
    file: string,
    sync?: boolean,
    currentFile?: string,
  ): Generator<unknown, Template[], string | Template[]> {
    return new LinearParser(this).parseFile(file, sync, LookupType.Partials, currentFile);
  }
  override _parseLayoutFile(
    file: string,
    sync?: boolean,
    currentFile?: string,
  ): Generator<unknown, Template[], string | Template[]> {
    return new LinearParser(this).parseFile(file, sync, LookupType.Layouts, currentFile);
  }
  override _parseFile(
    file: string,
    sync?: boolean,
    lookupType?: LookupType,
    currentFile?: string,
  ): Generator<unknown, Template[]> {
    return new LinearParser(this).parseFile(file, sync, lookupType, currentFile);
  }
}
