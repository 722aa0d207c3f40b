// `{% image "relative/path.png" %}` (optionally `x: 0, y: 0, size: 512`): an image item, via a placeholder.
import {
  evalToken,
  Hash,
  Tag,
  type Context,
  type Emitter,
  type Liquid,
  type TagToken,
  type TopLevelToken,
  type ValueToken,
} from 'liquidjs';
import type { PromptItem } from '../backend';
import { FileRefusedError } from '../files/policy';
import type { TagClass, TagEnv } from './tagEnv';

export function imageTag(env: TagEnv): TagClass {
  return class ImageTag extends Tag {
    private readonly path: ValueToken;
    private readonly hash: Hash;

    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      const path = this.tokenizer.readValue();
      if (!path) throw new Error('image: expected a path, e.g. {% image "pictures/cat.png" %}');
      this.path = path;
      this.hash = new Hash(this.tokenizer, liquid.options.keyValueSeparator);
    }

    *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
      const path = yield evalToken(this.path, ctx);
      const args = (yield this.hash.render(ctx)) as Record<string, unknown>;
      const range = env.recorder.sourceRange(this.token);
      const report = (
        code: 'image-missing' | 'image-format' | 'file-refused' | 'file-untrusted',
        severity: 'error' | 'warning',
        message: string,
      ): void => env.report(range.start, range.start + range.length, severity, code, message);
      if (typeof path !== 'string' || path === '') {
        report('image-missing', 'error', 'image: the path must be a non-empty string.');
        return;
      }
      let bytes: Uint8Array;
      try {
        bytes = (yield env.files.read('image', path, env.baseDir)) as Uint8Array;
      } catch (error) {
        const reason = error instanceof FileRefusedError ? error.reason : 'unreadable';
        const code =
          reason === 'missing' ? 'image-missing' : reason === 'untrusted' ? 'file-untrusted' : 'file-refused';
        report(code, 'error', error instanceof Error ? error.message : `image ${path} could not be read.`);
        return;
      }
      if (!isPng(bytes) && !isJpeg(bytes))
        report('image-format', 'warning', `image: ${path} is neither PNG nor JPEG; backends may reject it.`);
      const item: Extract<PromptItem, { type: 'image' }> = {
        type: 'image',
        data: Buffer.from(bytes).toString('base64'),
      };
      const crop = cropOf(args);
      if (crop === 'invalid')
        report(
          'image-format',
          'error',
          'image: `x`, `y` and `size` must be whole numbers (size > 0), given all three together.',
        );
      else if (crop) Object.assign(item, crop);
      emitter.write(env.placeholders.placeholder(item));
    }

    *arguments(): Generator<ValueToken, void, unknown> {
      yield this.path;
    }
  };
}

function cropOf(
  args: Record<string, unknown>,
): { x: number; y: number; size: number } | undefined | 'invalid' {
  const { x, y, size } = args;
  if (x === undefined && y === undefined && size === undefined) return undefined;
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (!whole(x) || !whole(y) || !whole(size) || size === 0) return 'invalid';
  return { x, y, size };
}

function isPng(bytes: Uint8Array): boolean {
  return bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}
