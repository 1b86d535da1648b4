import { sql } from 'drizzle-orm';
import { DeclarationsAbovePeers } from '../../rules/declarations/relabelling.js';
import { flagAgenciesForMonth } from '../confirm.js';
import { addDays } from '../../time/shanghai-date.js';
import { notYetFlagged } from '../not-flagged.js';
import { rowsOf, type SweepJob } from '../job.js';

/**
 * DECLARATIONS_ABOVE_PEERS (Art. 6: the justice bureaus supervise). An agency whose declared exemptions in
 * the last DECLARATION_PEER_WINDOW_DAYS reach DECLARATION_PEER_MIN and DECLARATION_PEER_TIMES the median of
 * its level's agencies (every active agency of that level that inspected in the period, those with no
 * declaration counting as 0) is flagged once a month for the supervisors.
 */
export const declarationsAbovePeersJob: SweepJob = {
  name: 'declarations-above-peers',
  rule: DeclarationsAbovePeers.id,
  async runBatch(tx, { at, today, options }, limit) {
    const s = options.relabelling;
    const from = addDays(today, -s.declarationPeerWindowDays);
    const month = today.slice(0, 7);
    const due = await rowsOf<{ agency_code: string; district_code: string | null; n: number; median: number }>(
      tx,
      sql`WITH active AS (
            SELECT a.code, a.level, a.district_code,
                   (SELECT count(*)::int FROM declarations d
                     WHERE d.agency_code = a.code AND d.status <> 'withdrawn' AND d.declared_at > ${from}::date) AS n
              FROM agencies a
             WHERE a.active AND EXISTS (SELECT 1 FROM inspections i WHERE i.agency_code = a.code AND i.counted_date > ${from}::date)
          ), peers AS (
            SELECT level, percentile_cont(0.5) WITHIN GROUP (ORDER BY n) AS median FROM active GROUP BY level
          )
          SELECT active.code AS agency_code, active.district_code, active.n, peers.median::float8 AS median
            FROM active JOIN peers ON peers.level = active.level
           WHERE active.n >= ${s.declarationPeerMin}::int
             AND active.n >= ${s.declarationPeerTimes}::int * GREATEST(peers.median, 1)
             AND ${notYetFlagged(DeclarationsAbovePeers.id, 'agency', sql`active.code`, sql`${month}`)}
           ORDER BY active.code
           LIMIT ${limit}`,
    );
    const raised = await flagAgenciesForMonth(tx, at, due, (r) => DeclarationsAbovePeers.check({ declarations: r.n, peerMedian: r.median, times: s.declarationPeerTimes, min: s.declarationPeerMin, windowDays: s.declarationPeerWindowDays }), { month, from, to: today });
    return { selected: due.length, raised };
  },
};
