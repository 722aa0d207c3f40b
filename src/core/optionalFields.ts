// Helpers for optional properties under exactOptionalPropertyTypes: an absent value stays absent
// instead of becoming `key: undefined`.
import type { CallOptions } from './backend';

/** Drops undefined values so optional properties stay absent. */
export function definedEntries<T extends Record<string, unknown>>(
  record: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** `{ [key]: value }`, or `{}` when the value is undefined. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/** The call's abort signal, if it has one, ready to spread into a request. */
export function signalOf(options: CallOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}
