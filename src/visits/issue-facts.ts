import { eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { auditIdSql, type DrawnAuditId } from '../audit/append.js';
import type { Db } from '../db/client.js';
import { ShapedStatements } from '../db/shaped-statement.js';
import { fromJsonRows, jsonRowsOf } from '../db/json-rows.js';
import { agencies, districts, enterprises, frequencyRules, inspectionMatters, inspections, noDisturbList, planItems, plans, planVersions } from '../db/schema/index.js';
import { historyQuery, noDisturbQuery, rulesInForceQuery, type FrequencyReadAhead } from '../frequency/facts.js';
import { coverageUsageJson, toUsage } from '../plans/coverage-facts.js';
import { countLocksSql, toSampled } from './count-locks.js';
import type { PlanReadAhead } from '../plans/filed-plan.js';
import { lastFiledVersionQuery, toVersion } from '../plans/plan-versions.repository.js';
import { planForQuery, planItemsQuery } from '../plans/plans.repository.js';
import { publishedMatterQuery } from '../registry/matters.repository.js';
import { addDays } from '../time/shanghai-date.js';
import type { GuardReadAhead } from './guard-facts.js';
import type { InspectionHooks } from './hooks.js';
import type { Inspection } from './repository.js';

/**
 * The code issuance's reads in two round trips instead of ~17 (issue 27: ≤ 5 round trips per issuance with
 * BEGIN, the writes and COMMIT). First `lockAndPeek`: the enterprise's lock, which serialises two codes racing
 * for the last place under a cap, the sampling keys' locks, which serialise two codes for different enterprises
 * racing for the last place of a class item's sampling ratio (src/visits/count-locks.ts), and the row's keys.
 * Then `readIssueFacts`: every fact the guards read, each by the repositories' own query, as one statement whose
 * snapshot is taken after the locks — so the counts see every code committed before it, as the separate reads did. The decisions stay where they were
 * (loadGuardFacts, planAndCapChecks, the hooks): they take these rows instead of reading them.
 */
export interface IssueReadAhead {
  /** The row, read FOR UPDATE. */
  row: Inspection | undefined;
  guard: GuardReadAhead;
  /** Routine inspections only: the plan and its counts. */
  plan?: PlanReadAhead;
  frequency: FrequencyReadAhead;
  /** The hooks' own reads (InspectionHooks.codeReads), handed back to them. */
  hooks: unknown;
  /** The audit entry's id and district, drawn here so the writes need no round trip of their own. */
  audit: DrawnAuditId;
}

/**
 * Takes the locks of inspection `id`'s count (src/visits/count-locks.ts: its enterprise's, then the sampling key of
 * each matter a class plan item could apply to, in one fixed order) and returns the row as it stood before them,
 * with the matters whose sampling key was locked (undefined: no such row, no lock). One round trip, as the
 * enterprise lock alone was.
 */
export async function lockAndPeek(tx: Db, id: string): Promise<{ row: Inspection; sampled: string[] } | undefined> {
  const [row] = await tx
    .select({
      ...getTableColumns(inspections),
      sampled: countLocksSql({
        enterpriseCode: sql`${inspections.enterpriseCode}`,
        agencyCode: sql`${inspections.agencyCode}`,
        kind: sql`${inspections.kind}`,
        mode: sql`${inspections.mode}`,
        year: sql`extract(year FROM ${inspections.countedDate})::int`,
        matterCodes: sql`${inspections.matterCodes}`,
      }),
    })
    .from(inspections)
    .where(eq(inspections.id, id));
  if (!row) return undefined;
  const { sampled, ...inspection } = row;
  return { row: inspection, sampled: toSampled(sampled) };
}

/** The keys the facts were read by: when the locked row no longer has them, the caller reads again by the row's own. */
export const sameKeys = (a: Inspection, b: Inspection) =>
  a.agencyCode === b.agencyCode && a.enterpriseCode === b.enterpriseCode && a.kind === b.kind && a.mode === b.mode &&
  a.countedDate === b.countedDate && a.matterCodes.join('\u0000') === b.matterCodes.join('\u0000');

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as unknown;

/** What the facts statement's text depends on; everything else in it is a parameter. */
interface IssueShape {
  routine: boolean;
  matters: number;
}

/**
 * The values the facts statement takes, each a parameter (placeholders while its text is rendered, once per
 * shape: src/db/shaped-statement.ts). Dates derived from the year are values of their own, since a builder
 * handed a placeholder cannot compute with it.
 */
type IssueValues = Record<string, string | number> & {
  id: string;
  agencyCode: string;
  enterpriseCode: string;
  countedDate: string;
  mode: string;
  year: number;
  historyFrom: string;
  historyTo: string;
};

const factsStatement = new ShapedStatements<IssueValues, IssueShape>((tx, v, shape) => {
  const matters = Array.from({ length: shape.matters }, (_, k) => v[`matter${k}`] as string);
  // The widest span any frequency period can take around a day of this year (a week may cross a new year):
  // loadFrequencyFacts trims it to the span of the rules in force.
  const history = historyQuery(tx, v.enterpriseCode, v.historyFrom, v.historyTo);
  const parts: [string, SQL][] = [
    ['row', jsonRowsOf(tx.select().from(inspections).where(eq(inspections.id, v.id)).for('update'))],
    ['agency', jsonRowsOf(tx.select().from(agencies).where(eq(agencies.code, v.agencyCode)))],
    ['enterprise', jsonRowsOf(tx.select().from(enterprises).where(eq(enterprises.creditCode, v.enterpriseCode)))],
    [
      'districts',
      jsonRowsOf(
        tx.select().from(districts).where(inArray(districts.code, sql`(SELECT district_code FROM ${agencies} WHERE ${eq(agencies.code, v.agencyCode)}
                                                                        UNION SELECT district_code FROM ${enterprises} WHERE ${eq(enterprises.creditCode, v.enterpriseCode)})`)),
      ),
    ],
    ...matters.map((m, k): [string, SQL] => [`matter${k}`, jsonRowsOf(publishedMatterQuery(tx, v.agencyCode, m, v.countedDate))]),
    ['rules', jsonRowsOf(rulesInForceQuery(tx, v.countedDate))],
    ['no_disturb', jsonRowsOf(noDisturbQuery(tx, v.enterpriseCode))],
    ['history', jsonRowsOf(history)],
    [
      'domains',
      sql`(SELECT coalesce(json_agg(json_build_object('agencyCode', m.agency_code, 'matterCode', m.matter_code, 'domain', m.domain)), '[]'::json)
             FROM (SELECT DISTINCT agency_code, matter_code, domain FROM ${inspectionMatters}
                    WHERE (agency_code, matter_code) IN (SELECT h.agency_code, unnest(h.matter_codes) FROM (${history}) AS h)) AS m)`,
    ],
  ];
  if (shape.routine) {
    const planId = sql`(SELECT ${plans.id} FROM ${plans} WHERE ${plans.agencyCode} = ${v.agencyCode} AND ${plans.year} = ${v.year})`;
    parts.push(['plan', jsonRowsOf(planForQuery(tx, v.agencyCode, v.year, 'share'))], ['items', jsonRowsOf(planItemsQuery(tx, planId))], ['version', jsonRowsOf(lastFiledVersionQuery(tx, planId))]);
    matters.forEach((m, k) => parts.push([`usage${k}`, coverageUsageJson(v.agencyCode, { matterCode: m, mode: v.mode as Inspection['mode'], enterpriseCode: v.enterpriseCode, year: v.year }, v.id)]));
  }
  // The hooks' reads come last, rendered on each call (their builders may compute from the inspection's values).
  return sql`SELECT ${sql.join(parts.map(([k, val]) => sql`${val} AS ${sql.identifier(k)}`), sql`, `)}, ${auditIdSql({ agencyCode: v.agencyCode })}, `;
});

/** Every fact the issuance of `p` reads, in one statement (`p`: the row as lockAndPeek returned it). */
export async function readIssueFacts(tx: Db, p: Inspection, hooks: InspectionHooks): Promise<IssueReadAhead> {
  const year = Number(p.countedDate.slice(0, 4));
  const values: IssueValues = {
    id: p.id,
    agencyCode: p.agencyCode,
    enterpriseCode: p.enterpriseCode,
    countedDate: p.countedDate,
    mode: p.mode,
    year,
    historyFrom: addDays(`${year}-01-01`, -6),
    historyTo: addDays(`${year}-12-31`, 6),
    ...Object.fromEntries(p.matterCodes.map((m, k) => [`matter${k}`, m])),
  };
  const hooksPart = sql`${hooks.codeReads ? hooks.codeReads(p) : sql`NULL::json`} AS "hooks"`;
  const res = await factsStatement.execute(tx, { routine: p.kind === 'routine', matters: p.matterCodes.length }, values, hooksPart);
  const r = (res as unknown as { rows: Record<string, unknown>[] }).rows[0]!;
  const agency = fromJsonRows(agencies, json(r.agency))[0];
  const [version] = fromJsonRows(planVersions, json(r.version ?? '[]'));
  return {
    row: fromJsonRows(inspections, json(r.row))[0],
    guard: {
      agency,
      enterprise: fromJsonRows(enterprises, json(r.enterprise))[0],
      published: new Map(p.matterCodes.map((m, k) => [m, fromJsonRows(inspectionMatters, json(r[`matter${k}`]))[0]])),
      districts: fromJsonRows(districts, json(r.districts)),
    },
    plan:
      p.kind === 'routine'
        ? {
            plan: fromJsonRows(plans, json(r.plan))[0],
            items: fromJsonRows(planItems, json(r.items)),
            version: version ? toVersion(version) : undefined,
            usage: new Map(p.matterCodes.map((m, k) => [m, toUsage(json(r[`usage${k}`]) as Parameters<typeof toUsage>[0])])),
            districtCode: agency?.districtCode ?? null,
          }
        : undefined,
    frequency: {
      rules: fromJsonRows(frequencyRules, json(r.rules)),
      noDisturb: fromJsonRows(noDisturbList, json(r.no_disturb)),
      history: fromJsonRows(inspections, json(r.history)).map((h) => ({
        id: h.id, agencyCode: h.agencyCode, matterCodes: h.matterCodes, countedDate: h.countedDate, kind: h.kind, mode: h.mode, countsTowardCap: h.countsTowardCap,
      })),
      matters: json(r.domains) as FrequencyReadAhead['matters'],
    },
    hooks: json(r.hooks) ?? undefined,
    audit: { id: Number(r.id), districtCode: (r.district_code as string | null) ?? null },
  };
}
