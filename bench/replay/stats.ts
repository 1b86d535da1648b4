/** Latency and count bookkeeping for the replay: every measured operation's wall time, by name and phase. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface OpSummary {
  op: string;
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export class Recorder {
  private readonly samples = new Map<string, number[]>();
  add(op: string, ms: number): void {
    let list = this.samples.get(op);
    if (!list) this.samples.set(op, (list = []));
    list.push(ms);
  }
  summary(): OpSummary[] {
    return [...this.samples.entries()].map(([op, list]) => {
      const s = [...list].sort((a, b) => a - b);
      return { op, n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1]! };
    });
  }
}

/** Counts by key (refusals and flags by rule). */
export class Tally {
  readonly counts = new Map<string, number>();
  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }
  sorted(): [string, number][] {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }
}

/** Runs `tasks` with at most `limit` in flight (the burst's concurrency: officers at their desks at 9 a.m.). */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}
