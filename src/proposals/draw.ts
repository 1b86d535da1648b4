import { createHash } from 'node:crypto';

/**
 * The shared random draw (抽取) for class items: every enterprise gets ONE rank from the recorded seed,
 * and every unit's sample is the k lowest-ranked members of its class. Where two units' classes overlap,
 * their samples overlap as much as their sizes allow (coordinated sampling with permanent random numbers,
 * as statistical offices draw overlapping surveys), so the units reach the same enterprises and one joint
 * visit replaces two. The rank depends only on (seed, credit code): the same seed gives the same draw,
 * whatever order the registry is read in.
 */
export function drawRank(seed: string, creditCode: string): number {
  const h = createHash('sha256').update(`${seed}\u0000${creditCode}`).digest();
  // 48 bits are exact in a double and make ties between distinct codes practically impossible.
  return h.readUIntBE(0, 6);
}

/**
 * The k lowest-ranked members seen so far, in O(k) memory: a max-heap on rank whose top is evicted when a
 * lower rank arrives. Ties break on the credit code so the result is a function of the set alone.
 */
export class LowestK {
  private heap: { rank: number; code: string }[] = [];
  constructor(readonly k: number) {}

  private above(a: { rank: number; code: string }, b: { rank: number; code: string }) {
    return a.rank > b.rank || (a.rank === b.rank && a.code > b.code);
  }

  offer(rank: number, code: string): void {
    if (this.k <= 0) return;
    const x = { rank, code };
    const h = this.heap;
    if (h.length < this.k) {
      h.push(x);
      for (let i = h.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!this.above(h[i]!, h[p]!)) break;
        [h[i], h[p]] = [h[p]!, h[i]!];
        i = p;
      }
      return;
    }
    if (!this.above(h[0]!, x)) return;
    h[0] = x;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.above(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.above(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }

  codes(): Set<string> {
    return new Set(this.heap.map((x) => x.code));
  }
}
