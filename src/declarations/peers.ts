/** The median of counts (0 for none): the peers' typical figure a count is set against. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Each member's count against its peers (the other members of its group): the peers' median and the
 * ratio to it (null when the peers' median is 0). Agencies are grouped by level, officers by agency.
 */
export function againstPeers<T extends { n: number }>(rows: readonly T[], group: (r: T) => string): (T & { peerMedian: number; ratio: number | null })[] {
  return rows.map((r) => {
    const peers = rows.filter((o) => o !== r && group(o) === group(r)).map((o) => o.n);
    const m = median(peers);
    return { ...r, peerMedian: m, ratio: m > 0 ? Math.round((r.n / m) * 100) / 100 : null };
  });
}
