// Requests for several completions (`n`, `best_of`): what can be streamed, and the cap on how many
// completions of one reply are kept apart.

/** The most completions of one reply that are kept; deltas of further indices are dropped. */
export const MAX_KEPT_CHOICES = 16;

/**
 * Whether a request with these backend-native params can be streamed. `best_of` candidates are
 * ranked only after all of them are generated, so Aleph Alpha refuses to stream them (API docs,
 * /complete: "Cannot be streamed") and so does OpenAI's `/v1/completions` ("results cannot be
 * streamed"): such a request is sent without streaming.
 */
export function canStreamWith(params: Readonly<Record<string, unknown>> | undefined): boolean {
  const bestOf = params?.['best_of'];
  return !(typeof bestOf === 'number' && bestOf > 1);
}
