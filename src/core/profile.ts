import { z } from 'zod';
import type { BackendKind } from './backend';

/** A server Prompt Lens can talk to, as configured in `promptLens.profiles`. Never holds a token. */
export interface Profile {
  name: string;
  kind: BackendKind;
  url: string;
  model?: string;
  nice?: boolean;
  hosting?: string;
}

export const profileSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(['aleph-alpha', 'llama-cpp', 'openai']),
  url: z.url(),
  model: z.string().min(1).optional(),
  nice: z.boolean().optional(),
  hosting: z.string().optional(),
});

export const DEMO_PROFILE_NAME = 'demo (simulated model)';

/** Valid profiles and one message per invalid entry (shown once, not thrown). */
export function parseProfiles(raw: unknown): { profiles: Profile[]; problems: string[] } {
  const profiles: Profile[] = [];
  const problems: string[] = [];
  const entries = Array.isArray(raw) ? raw : [];
  entries.forEach((entry, index) => {
    const parsed = profileSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push(
        `promptLens.profiles[${index}]: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'entry'} ${issue.message}`).join('; ')}`,
      );
      return;
    }
    const { model, nice, hosting, ...rest } = parsed.data;
    if (profiles.some((p) => p.name === rest.name)) {
      problems.push(`promptLens.profiles[${index}]: the name "${rest.name}" is used twice`);
      return;
    }
    profiles.push({
      ...rest,
      ...(model !== undefined && { model }),
      ...(nice !== undefined && { nice }),
      ...(hosting !== undefined && { hosting }),
    });
  });
  return { profiles, problems };
}

/** The origin (scheme, host, port) a token is bound to. */
export function originOf(url: string): string {
  return new URL(url).origin;
}
