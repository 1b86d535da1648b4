import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { newRowId } from '../../src/db/ids.js';
import { codeScans, inspectionCodes, inspections } from '../../src/db/schema/index.js';
import type { PlannedVisit } from './schedule.js';
import { YEAR } from './model.js';

/**
 * Full-scale mode's loader: the schedule's visits of the undriven days written straight into the tables, as the
 * API leaves them at the end of drive.ts's day (compared column by column with a replay driven in full):
 * - no violation, result told on site: `archived`, its code `closed`, one accepted scan;
 * - rectification ordered, result told: `result_notified`, follow-up due ten working days on, code `active`;
 * - result not told (2 %): `findings_recorded`, code `active`;
 * - drafted before the agency's plan was published (drive.ts decides; the pre-check fails and the replay's head
 *   approves without a reason, so the API refuses FAILED_CHECKS_UNEXPLAINED): a `draft`, no code.
 * Same enterprise, agency, matter, drafting and visiting day as the schedule, the plan item the API would have
 * recorded, and the sampling, dashboard and frequency counts kept (row triggers on for a small load; off and the
 * engine's rebuilds called for a large one), so the counts the engine's rules read on the driven days are the year's own. What is not loaded: audit entries and domain events, referrals and
 * enterprise reports of the loaded days (no rule on a driven day reads them; the year-end size is therefore a
 * floor, see run.ts), and the caps' refusals: a loaded visit above a frequency cap is loaded all the same
 * (the year-end sweeper's frequency flags count them).
 */
export interface LoadedVisit {
  visit: PlannedVisit;
  /** False: the agency had no published plan on the drafting day, so it stays a draft. */
  planned: boolean;
}

const utc = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);
const CHECKLIST = ['许可证照及公示情况', '管理制度及台账记录', '现场设施设备状况'];
const team = (agency: string) => [
  { name: '王晓明', certificateNo: `${agency}-0001` },
  { name: '陈丽华', certificateNo: `${agency}-0002` },
];
const NO_VIOLATION = { kind: 'no_violation', kinds: ['no_violation'], summaryZh: '未发现违法行为，予以记录' };

const ROW_TRIGGERS = [
  ['inspections', 'inspections_sampling_counts'],
  ['inspections', 'inspections_dashboard_counts'],
  ['inspection_codes', 'inspection_codes_dashboard_counts'],
  ['code_scans', 'code_scans_dashboard_counts'],
];

/** `bulkAbove`: the load size above which the row triggers are off and the counts rebuilt (see below). */
export function makeLoader(db: Db, workdays: readonly string[], { bulkAbove = 5000 }: { bulkAbove?: number } = {}) {
  const dayIndex = new Map(workdays.map((d, i) => [d, i]));
  /** Plan items by agency and matter, as the plan guard records them (read again on each load: plans change in March). */
  async function coverage(): Promise<Map<string, { planId: string; revision: number; itemId: string }>> {
    const { rows } = (await db.execute(
      sql`SELECT p.agency_code, p.id AS plan_id, p.revision, i.id AS item_id, i.matter_code FROM plans p JOIN plan_items i ON i.plan_id = p.id WHERE p.year = ${YEAR} AND p.published_at IS NOT NULL`,
    )) as unknown as { rows: { agency_code: string; plan_id: string; revision: number; item_id: string; matter_code: string }[] };
    return new Map(rows.map((r) => [`${r.agency_code}|${r.matter_code}`, { planId: r.plan_id, revision: Number(r.revision), itemId: r.item_id }]));
  }

  return async function load(batch: readonly LoadedVisit[]): Promise<{ inspections: number; codes: number }> {
    const items = await coverage();
    const rows: (typeof inspections.$inferInsert)[] = [];
    const codes: (typeof inspectionCodes.$inferInsert)[] = [];
    const scans: (typeof codeScans.$inferInsert)[] = [];
    for (const { visit: v, planned } of batch) {
      const id = newRowId();
      const drafted = utc(v.draftDay, '09:00');
      const from = utc(v.visitDay, '09:00');
      const to = utc(v.visitDay, '17:00');
      const item = items.get(`${v.agencyCode}|${v.matterCode}`);
      const base = {
        id,
        agencyCode: v.agencyCode,
        enterpriseCode: v.enterprise.creditCode,
        kind: 'routine' as const,
        mode: 'onsite' as const,
        matterCodes: [v.matterCode],
        windowStart: from,
        windowEnd: to,
        countedDate: v.visitDay,
        countsTowardCap: true,
        inspectors: team(v.agencyCode),
        checklist: CHECKLIST,
        entityScope: 'in_scope',
        escalationGround: v.agencyCode.startsWith('WH-') ? 'major_or_cross_region' : null,
        createdBy: `officer:${v.agencyCode}`,
        createdAt: drafted,
      };
      if (!planned || !item) {
        rows.push({ ...base, state: 'draft', version: 1, updatedAt: drafted });
        continue;
      }
      const end = afterVisit(v, dayIndex, workdays);
      const archived = end.state === 'archived';
      rows.push({
        ...base,
        ...end,
        planCoverage: [{ matterCode: v.matterCode, planId: item.planId, revision: item.revision, itemId: item.itemId, filed: true }],
        approvedBy: `head:${v.agencyCode}`,
        approvedAt: drafted,
      });
      // A code in the issuer's format, recognisable as loaded (kid): nobody verifies a loaded code's signature.
      const code = `JC-${YEAR}-L${String(v.n).padStart(7, '0')}`;
      codes.push({
        code,
        inspectionId: id,
        kid: 'replay-loaded',
        signature: 'loaded',
        facts: { code, kind: 'routine', matters: [v.matterCode], validTo: to.toISOString(), agencies: [v.agencyCode], validFrom: from.toISOString(), enterprise: v.enterprise.creditCode, inspectionId: id, inspectorCount: 2 },
        validFrom: from,
        validTo: to,
        state: archived ? 'closed' : 'active',
        issuedBy: `officer:${v.agencyCode}`,
        issuedAt: drafted,
      });
      scans.push(scanOf(v, code));
    }
    // One transaction per load. A small load keeps the row triggers (sampling, dashboard counts) on, as for the API's
    // writes; a large one (months of the full-scale year at once) would update the same few count rows thousands of
    // times in one transaction, so it turns them off and calls the engine's rebuilds, as seed:scale does — both give
    // the counts the rules read exactly (test/integration/replay-full-scale-load.test.ts). The statement-level
    // frequency change log stays on either way.
    const bulk = rows.length > bulkAbove;
    await db.transaction(async (tx) => {
      if (bulk) for (const [table, trigger] of ROW_TRIGGERS) await tx.execute(sql.raw(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`));
      for (let i = 0; i < rows.length; i += 1000) await tx.insert(inspections).values(rows.slice(i, i + 1000));
      for (let i = 0; i < codes.length; i += 2000) await tx.insert(inspectionCodes).values(codes.slice(i, i + 2000));
      for (let i = 0; i < scans.length; i += 4000) await tx.insert(codeScans).values(scans.slice(i, i + 4000));
      if (bulk) {
        for (const [table, trigger] of ROW_TRIGGERS) await tx.execute(sql.raw(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`));
        await tx.execute(sql`SELECT sampling_counts_rebuild()`);
        await tx.execute(sql`SELECT dashboard_counts_rebuild()`);
      }
    });
    // What autovacuum would have done over the loaded months (it is off on the benchmark server): without statistics
    // the planner takes 200 k loaded rows for an empty table, and the driven days' queries and the year-end sweeper
    // run nested loops over them (seen in the first full-scale run: docs/BENCHMARKS.md).
    if (bulk) await db.execute(sql`ANALYZE inspections, inspection_codes, code_scans, sampling_counts, dashboard_counts`);
    return { inspections: rows.length, codes: codes.length };
  };
}

/** The columns drive.ts's 10:30 phase leaves on a visited scheme (findings, result told on site, close, archive). */
function afterVisit(v: PlannedVisit, dayIndex: ReadonlyMap<string, number>, workdays: readonly string[]) {
  const found = utc(v.visitDay, '10:30');
  const violation = v.outcome === 'rectification';
  const due = workdays[Math.min(workdays.length - 1, dayIndex.get(v.visitDay)! + 10)]!;
  const outcome = violation ? { kind: 'rectification', kinds: ['rectification'], dueDate: due, noticeNo: `责改〔${YEAR}〕${v.n}号`, summaryZh: '责令改正' } : NO_VIOLATION;
  const findings = { items: CHECKLIST.map((it, i) => ({ item: it, result: violation && i === 1 ? 'violation' : 'compliant' })), methods: ['documents', 'site_survey'], outcome };
  const archived = !violation && v.notifyOnTime;
  const state = !v.notifyOnTime ? 'findings_recorded' : violation ? 'result_notified' : 'archived';
  return {
    state,
    version: state === 'archived' ? 7 : state === 'result_notified' ? 5 : 4,
    findings,
    findingsAt: found,
    outcome,
    resultNotifiedAt: v.notifyOnTime ? found : null,
    followUpDue: violation ? due : null,
    closedAt: archived ? found : null,
    archivedAt: archived ? found : null,
    updatedAt: found,
  };
}

const scanOf = (v: PlannedVisit, code: string): typeof codeScans.$inferInsert => ({ id: randomUUID(), code, scannedAt: utc(v.visitDay, '09:05'), byRole: 'enterprise', bySub: `enterprise:${v.enterprise.creditCode}`, atEnterprise: v.enterprise.creditCode, accepted: true });

/**
 * The visit, two working days on, of a scheme a driven day drafted and coded through the API, when the visiting day
 * is not driven itself: written directly (the scan and what the 10:30 phase leaves), as the loader writes a loaded
 * visit. Driving it would double a driven day's API calls for no figure of that day.
 */
export function makeFinisher(db: Db, workdays: readonly string[]) {
  const dayIndex = new Map(workdays.map((d, i) => [d, i]));
  return async function finish(items: readonly { visit: PlannedVisit; inspectionId: string; code: string }[]): Promise<void> {
    if (!items.length) return;
    await db.transaction(async (tx) => {
      for (const { visit: v, inspectionId, code } of items) {
        const end = afterVisit(v, dayIndex, workdays);
        await tx.insert(codeScans).values(scanOf(v, code));
        await tx.update(inspections).set({ ...end, version: sql`${inspections.version} + ${end.version - 3}` }).where(eq(inspections.id, inspectionId));
        if (end.state === 'archived') await tx.update(inspectionCodes).set({ state: 'closed' }).where(eq(inspectionCodes.code, code));
      }
    });
  };
}
