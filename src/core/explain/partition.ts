// Splits the deletions of an occlusion run over several server slots so that the slots finish at about
// the same time while the prompt cache still does its work.
//
// Why contiguous groups: a deletion starting at s leaves the prompt's first s characters intact, so
// after the full prompt (or after any deletion starting later) a slot re-processes only from s on.
// On one slot, the full prompt followed by the deletions from the LAST segment to the FIRST therefore
// processes each prompt token no more often than needed (the lower bound). On another slot, which
// starts cold, a group of deletions costs its own work plus, once, the prefix before its latest
// deletion; giving that slot the EARLIEST deletions keeps that extra prefix short. The group with the
// latest deletions goes with the full prompt.

export interface Deletion {
  /** Offset of the deleted segment in the prompt text. */
  start: number;
  length: number;
}

/** Estimated processing cost in characters of each group; `withFull` marks the group that also scores the full prompt. */
export function groupCost(deletions: readonly Deletion[], total: number, withFull: boolean): number {
  if (deletions.length === 0) return withFull ? total : 0;
  const work = deletions.reduce((sum, d) => sum + Math.max(1, total - d.start - d.length), 0);
  const coldPrefix = Math.max(...deletions.map((d) => d.start));
  return withFull ? total + work : work + coldPrefix;
}

/** Extra work (cold prefixes) allowed for using more slots, as a share of the single-slot work. */
export const MAX_EXTRA_WORK = 0.03;

/**
 * Deletions (sorted by start) cut into at most `slots` contiguous groups minimising the slowest
 * group's estimated cost, among the cuts whose extra work stays within `maxExtra` of the single-slot
 * work (each further slot re-processes a prefix once). Returns the groups from the latest deletions
 * (with the full prompt) to the earliest; each group in the order a slot should run it (latest first).
 */
export function partitionDeletions<T extends Deletion>(
  sorted: readonly T[],
  total: number,
  slots: number,
  maxExtra = MAX_EXTRA_WORK,
): T[][] {
  const n = sorted.length;
  const k = Math.max(1, Math.min(slots, n + 1));
  // best[g][i]: smallest makespan splitting sorted[0..i) into g groups without the full prompt.
  const best: number[][] = [];
  const cut: number[][] = [];
  for (let g = 0; g < k; g++) {
    best.push(new Array<number>(n + 1).fill(Infinity));
    cut.push(new Array<number>(n + 1).fill(0));
  }
  (best[0] as number[])[0] = 0;
  for (let g = 1; g < k; g++) {
    for (let i = 1; i <= n; i++) {
      for (let j = 0; j < i; j++) {
        const previous = best[g - 1]?.[j] ?? Infinity;
        if (previous === Infinity) continue;
        const cost = Math.max(previous, groupCost(sorted.slice(j, i), total, false));
        if (cost < (best[g]?.[i] ?? Infinity)) {
          (best[g] as number[])[i] = cost;
          (cut[g] as number[])[i] = j;
        }
      }
    }
  }
  const single = groupCost(sorted, total, true);
  const groupsOf = (g: number, i: number): T[][] => {
    const groups: T[][] = [[...sorted.slice(i)].reverse()];
    for (let level = g, end = i; level > 0; level--) {
      const start = cut[level]?.[end] ?? 0;
      groups.push([...sorted.slice(start, end)].reverse());
      end = start;
    }
    return groups;
  };
  let chosen: T[][] = [[...sorted].reverse()];
  let bestMakespan = single;
  for (let g = 1; g < k; g++) {
    for (let i = 1; i <= n; i++) {
      const lower = best[g]?.[i] ?? Infinity;
      if (lower === Infinity) continue;
      const makespan = Math.max(lower, groupCost(sorted.slice(i), total, true));
      if (makespan >= bestMakespan - 1e-9) continue;
      const groups = groupsOf(g, i);
      const work = groups.reduce((sum, group, index) => sum + groupCost(group, total, index === 0), 0);
      if (work - single > maxExtra * single) continue;
      bestMakespan = makespan;
      chosen = groups;
    }
  }
  return chosen.filter((group, index) => index === 0 || group.length > 0);
}
