/**
 * The one place secrets are taken out of errors. Every error a backend lets out passes through
 * `guardBackend` (see backends/index.ts), which scrubs each text field of the error and of its
 * causes, so no backend, stream parser or error mapper can forget to.
 */
import type { Backend } from './backend';

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not scrubbed: replacing every "a" would garble messages and hide nothing. */
const MIN_SECRET_LENGTH = 4;
/** How deep the cause chain and nested objects of an error are followed. */
const MAX_DEPTH = 6;

/** Every form a secret takes in text a server may echo: as sent, JSON-escaped, URL-encoded, base64. */
export function secretForms(secrets: readonly (string | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
    forms.add(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''));
  }
  // Longest first, so a form that contains another is replaced whole.
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

export function scrubText(text: string, forms: readonly string[]): string {
  let scrubbed = text;
  for (const form of forms) if (scrubbed.includes(form)) scrubbed = scrubbed.split(form).join(REDACTED);
  return scrubbed;
}

/**
 * Removes the secrets from every text field of an error, in place (the error keeps its class): the
 * message, the stack, any own string field (server message, raw body, detail) and, recursively, the
 * cause chain and nested errors. A thrown string comes back scrubbed.
 */
export function scrubError<E>(error: E, secrets: readonly (string | undefined)[]): E {
  const forms = secretForms(secrets);
  if (forms.length === 0) return error;
  if (typeof error === 'string') return scrubText(error, forms) as E;
  scrubObject(error, forms, new Set(), 0);
  return error;
}

function scrubObject(value: unknown, forms: readonly string[], seen: Set<object>, depth: number): void {
  if (typeof value !== 'object' || value === null || seen.has(value) || depth > MAX_DEPTH) return;
  seen.add(value);
  const record = value as Record<string, unknown>;
  const names = new Set(Object.getOwnPropertyNames(value));
  // message, stack and cause may live on the prototype chain's accessors; name them explicitly.
  if (value instanceof Error) for (const name of ['message', 'stack', 'cause']) names.add(name);
  for (const name of names) {
    let field: unknown;
    try {
      field = record[name];
    } catch {
      continue;
    }
    if (typeof field === 'string') {
      const scrubbed = scrubText(field, forms);
      if (scrubbed !== field) setField(value, name, scrubbed);
    } else if (Array.isArray(field)) {
      field.forEach((item, index) => {
        if (typeof item === 'string') field[index] = scrubText(item, forms);
        else scrubObject(item, forms, seen, depth + 1);
      });
    } else {
      scrubObject(field, forms, seen, depth + 1);
    }
  }
}

function setField(target: object, name: string, value: string): void {
  try {
    Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
  } catch {
    // A frozen or non-configurable field: try a plain assignment, which works for writable ones.
    try {
      (target as Record<string, unknown>)[name] = value;
    } catch {
      // Left as is; the other fields are still scrubbed.
    }
  }
}

/**
 * The backend as the rest of the program sees it: every error it throws, from a call or from a
 * stream, is scrubbed of the secrets on its way out. Methods beyond the interface pass through too.
 */
export function guardBackend<B extends Backend>(backend: B, secrets: readonly (string | undefined)[]): B {
  const scrub = <E>(error: E): E => scrubError(error, secrets);
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(backend, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      let wrapper = wrapped.get(property);
      if (wrapper === undefined) {
        wrapper = (...args: unknown[]): unknown => {
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(target, args);
          } catch (error) {
            throw scrub(error);
          }
          if (result instanceof Promise)
            return result.catch((error: unknown) => Promise.reject(scrub(error)));
          if (isAsyncIterable(result)) return guardIterable(result, scrub);
          return result;
        };
        wrapped.set(property, wrapper);
      }
      return wrapper;
    },
  });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function guardIterable<T>(iterable: AsyncIterable<T>, scrub: <E>(error: E) => E): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const inner = iterable[Symbol.asyncIterator]();
      const guard = <R>(step: () => Promise<R>): Promise<R> => {
        try {
          return step().catch((error: unknown) => Promise.reject(scrub(error)));
        } catch (error) {
          return Promise.reject(scrub(error));
        }
      };
      return {
        next: () => guard(() => inner.next()),
        return: (value?: unknown) =>
          guard(async () => (inner.return ? inner.return(value) : { done: true as const, value: undefined })),
        throw: (error?: unknown) =>
          guard(async () => (inner.throw ? inner.throw(error) : Promise.reject(error))),
      };
    },
  };
}
