import type { BackendOptions } from '../backend';
import { CookieJar } from '../http/cookieJar';
import { HttpClient, type HttpClientHooks } from '../http/httpClient';
import type { ErrorMapper } from '../http/types';
import { definedEntries } from '../optionalFields';

/**
 * The one way a backend builds its HTTP client from the profile's options: base URL (a path prefix
 * is kept for every endpoint), token, proxy, timeouts, retries, extra headers, and the profile's
 * cookie jar (a fresh one per backend when none is given, e.g. for one CLI run).
 */
export function httpClientFor(
  options: BackendOptions,
  how: { mapError: ErrorMapper; hooks?: HttpClientHooks; baseUrl?: string; userAgent?: string },
): HttpClient {
  return new HttpClient(
    {
      baseUrl: how.baseUrl ?? options.url.replace(/\/+$/, ''),
      userAgent: how.userAgent ?? `PromptLens/${PROMPT_LENS_VERSION}`,
      mapError: how.mapError,
      cookies: options.cookies ?? new CookieJar(),
      ...definedEntries({
        token: options.token,
        proxy: options.proxy,
        timeouts: options.timeouts,
        retry: options.retry,
        network: options.network,
        headers: options.headers,
      }),
    },
    how.hooks ?? {},
  );
}
