import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { agencies, enterprises, inspectionMatters, inspections } from '../db/schema/index.js';
import { raiseFlag } from '../flags/raise.js';
import { outsideOrder } from '../visits/order-scope.js';
import { insertInspection, lockEnterprise, updateInspection, type Inspection } from '../visits/repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { isUpperAuthorityOf, namedAuthority } from '../plans/upper-authority.js';
import { findAgency } from '../registry/agencies.repository.js';
import type { PlatformClient } from './clients.repository.js';
import type { RawRow } from './import-parse.js';
import { checkRowShape, partSourceId, PART_SEPARATOR, rowHash, type CooperatingPart, type FieldProblem, type ImportRow } from './import-row.js';

/** The state of an inspection recorded on another platform: it happened (or holds that platform's code), so it counts. */
export const IMPORTED_STATE = 'recorded';

export interface RowReport {
  line: number;
  sourceId: string | null;
  status: 'created' | 'corrected' | 'unchanged' | 'refused';
  inspectionId?: string;
  sourceVersion?: number;
  errors?: FieldProblem[];
  /** Rules raised as flags for supervisors on this row (e.g. ONSITE_WITHOUT_CODE). */
  flags?: string[];
  /** A joint visit's cooperating units' parts, each its own inspection row (Art. 26, 29). */
  parts?: { agencyCode: string; inspectionId: string; status: 'created' | 'corrected' | 'unchanged' }[];
}

export interface ImportReport {
  batchId: string;
  sourceSystem: string;
  received: number;
  created: number;
  corrected: number;
  unchanged: number;
  refused: number;
  rows: RowReport[];
}

interface Registry {
  agencies: Map<string, { districtCode: string | null }>;
  enterprises: Map<string, { scope: string; name: string }>;
  matters: Set<string>;
}

async function loadRegistry(tx: Db, rows: ImportRow[]): Promise<Registry> {
  const agencyCodes = [...new Set(rows.flatMap((r) => [r.agencyCode, ...r.cooperating.map((c) => c.agencyCode)]))];
  const creditCodes = [...new Set(rows.map((r) => r.enterpriseCode))];
  const agencyRows = agencyCodes.length ? await tx.select({ code: agencies.code, districtCode: agencies.districtCode }).from(agencies).where(inArray(agencies.code, agencyCodes)) : [];
  const enterpriseRows = creditCodes.length
    ? await tx.select({ creditCode: enterprises.creditCode, scope: enterprises.scope, name: enterprises.name }).from(enterprises).where(inArray(enterprises.creditCode, creditCodes))
    : [];
  const matterRows = agencyCodes.length
    ? await tx.selectDistinct({ agencyCode: inspectionMatters.agencyCode, matterCode: inspectionMatters.matterCode }).from(inspectionMatters).where(inArray(inspectionMatters.agencyCode, agencyCodes))
    : [];
  return {
    agencies: new Map(agencyRows.map((a) => [a.code, { districtCode: a.districtCode }])),
    enterprises: new Map(enterpriseRows.map((e) => [e.creditCode, { scope: e.scope, name: e.name }])),
    matters: new Set(matterRows.map((m) => `${m.agencyCode}\u0000${m.matterCode}`)),
  };
}

/** The registry half of validation: the agency is in the client's scope, the enterprise and matters exist. */
function checkAgainstRegistry(row: ImportRow, reg: Registry, client: PlatformClient): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!reg.agencies.has(row.agencyCode)) problems.push({ field: 'agencyCode', message: `行政执法主体 ${row.agencyCode} 未登记` });
  else if (!client.importAgencies.includes(row.agencyCode)) problems.push({ field: 'agencyCode', message: `${client.name}无权为行政执法主体 ${row.agencyCode} 报送检查` });
  if (!reg.enterprises.has(row.enterpriseCode)) problems.push({ field: 'enterpriseCode', message: `企业 ${row.enterpriseCode} 未登记` });
  const unknown = row.matterCodes.filter((m) => !reg.matters.has(`${row.agencyCode}\u0000${m}`));
  if (reg.agencies.has(row.agencyCode) && unknown.length) problems.push({ field: 'matterCodes', message: `检查事项 ${unknown.join('、')} 不在该行政执法主体的检查事项清单中` });
  // A joint visit: every cooperating unit is registered, within the client's scope, and inspects matters of its own list.
  for (const c of row.cooperating) {
    if (!reg.agencies.has(c.agencyCode)) problems.push({ field: 'cooperating', message: `协同单位 ${c.agencyCode} 未登记` });
    else if (!client.importAgencies.includes(c.agencyCode)) problems.push({ field: 'cooperating', message: `${client.name}无权为协同单位 ${c.agencyCode} 报送检查` });
    else {
      const notListed = c.matterCodes.filter((m) => !reg.matters.has(`${c.agencyCode}\u0000${m}`));
      if (notListed.length) problems.push({ field: 'cooperating', message: `检查事项 ${notListed.join('、')} 不在协同单位 ${c.agencyCode} 的检查事项清单中` });
    }
  }
  return problems;
}

/**
 * Art. 15 (上级主管部门部署的专项检查计划，不纳入年度检查频次): `deployedBy` takes a row out of the caps, so it is evidence,
 * not a switch. An authority the registry holds must be upper to the row's agency; the agency itself or another
 * registered unit is refused. One the registry does not hold (a provincial or national authority) is taken as the
 * platform states it: the platform is a registered client answerable for its rows.
 */
async function checkDeployment(tx: Db, row: ImportRow): Promise<FieldProblem[]> {
  if (!row.deployedBy) return [];
  const [named, own] = await Promise.all([namedAuthority(tx, row.deployedBy), findAgency(tx, row.agencyCode)]);
  if (!named || !own || isUpperAuthorityOf(named, own)) return [];
  const why = named.code === own.code ? '部署机关不能是本单位' : `${named.name}不是${own.name}的上级主管部门`;
  return [{ field: 'deployedBy', message: `${why}：只有上级主管部门部署的专项检查不纳入年度检查频次（第十五条）` }];
}

/** Art. 17: an on-site routine or special inspection needs a code; one imported without it is a finding for supervisors. */
export function needsCode(row: Pick<ImportRow, 'kind' | 'mode'>): boolean {
  return row.mode === 'onsite' && (row.kind === 'routine' || row.kind === 'special');
}

function columnsOf(row: ImportRow, scope: string, part?: CooperatingPart) {
  const windowStart = new Date(row.windowStart);
  const outside = outsideOrder({ excludedRelation: null, entityScope: scope });
  return {
    agencyCode: part ? part.agencyCode : row.agencyCode,
    enterpriseCode: row.enterpriseCode,
    kind: row.kind,
    mode: row.mode,
    matterCodes: part ? part.matterCodes : row.matterCodes,
    windowStart,
    windowEnd: new Date(row.windowEnd),
    countedDate: shanghaiDate(windowStart),
    // Counted exactly as a local inspection of the same kind: case inspections and those outside the Order do not.
    // Art. 15: a special inspection executing an upper authority's deployment counts toward no cap (the upper's plan).
    countsTowardCap: row.kind !== 'case' && !outside && !row.deployedBy,
    entityScope: scope,
    // The platform's result, for 检查结果互认 (Art. 24): what it found and whether it tested samples.
    // A cooperating unit's part carries its own result; whether samples were tested is the visit's, on the lead's row.
    outcome: part ? (part.outcome ? { kind: part.outcome, recordedOn: 'source', sampled: false } : null) : row.outcome || row.sampled ? { kind: row.outcome, recordedOn: 'source', sampled: row.sampled, ...(row.sampledProduct ? { product: row.sampledProduct } : {}), ...(row.sampledBatch ? { batch: row.sampledBatch } : {}) } : null,
    // The visit's one code hangs on the lead's row, as a local joint visit's does (src/db/schema/joint.ts).
    sourceCode: part ? null : row.sourceCode,
  };
}

/**
 * Applies a batch of inspections from an upper-level platform (Art. 24, 29) in one transaction. Each row
 * is checked on its own: valid rows are applied, invalid rows are reported with every field that is wrong
 * and written nowhere; the per-row report says which is which. Idempotent by (source system, source id):
 * an identical row changes nothing, a different one is a correction (a new source version, audited).
 * The enterprises' cap locks are taken in one order before any write, so an import and a code issued here
 * at the same enterprise are serialised exactly as two local codes are (src/visits/repository.ts).
 */
export async function importInspections(tx: Db, { at, audit }: CommandScope, actor: Principal, client: PlatformClient, raw: RawRow[]): Promise<ImportReport> {
  const shaped = raw.map((r) => {
    if ('parseError' in r) return { line: r.line, sourceId: null, problems: [{ field: 'line', message: r.parseError }] };
    const out = checkRowShape(r.value);
    const sourceId = typeof r.value.sourceId === 'string' ? r.value.sourceId : null;
    return 'row' in out ? { line: r.line, sourceId, row: out.row } : { line: r.line, sourceId, problems: out.problems };
  });
  const valid = shaped.flatMap((s) => ('row' in s && s.row ? [s.row] : []));
  const reg = await loadRegistry(tx, valid);
  for (const code of [...new Set(valid.map((r) => r.enterpriseCode))].filter((c) => reg.enterprises.has(c)).sort()) await lockEnterprise(tx, code);

  const reports: RowReport[] = [];
  for (const s of shaped) {
    if (!('row' in s) || !s.row) {
      reports.push({ line: s.line, sourceId: s.sourceId, status: 'refused', errors: s.problems });
      continue;
    }
    const row = s.row;
    const problems = [...checkAgainstRegistry(row, reg, client), ...(await checkDeployment(tx, row))];
    if (problems.length) {
      reports.push({ line: s.line, sourceId: row.sourceId, status: 'refused', errors: problems });
      continue;
    }
    reports.push(await applyRow(tx, { at, audit }, actor, client, row, s.line, reg));
  }
  const count = (st: RowReport['status']) => reports.filter((r) => r.status === st).length;
  const report: ImportReport = {
    batchId: randomUUID(),
    sourceSystem: client.sourceSystem,
    received: raw.length,
    created: count('created'),
    corrected: count('corrected'),
    unchanged: count('unchanged'),
    refused: count('refused'),
    rows: reports,
  };
  await audit({
    action: 'import.applied',
    subjectType: 'import_batch',
    subjectId: report.batchId,
    payload: {
      sourceSystem: client.sourceSystem,
      received: report.received,
      created: report.created,
      corrected: report.corrected,
      unchanged: report.unchanged,
      refused: report.refused,
      refusedRows: reports.filter((r) => r.status === 'refused').map((r) => ({ line: r.line, sourceId: r.sourceId, errors: r.errors })),
    },
  });
  return report;
}

async function applyRow(tx: Db, { at, audit }: CommandScope, actor: Principal, client: PlatformClient, row: ImportRow, line: number, reg: Registry): Promise<RowReport> {
  const hash = rowHash(row);
  const [existing] = await tx
    .select()
    .from(inspections)
    .where(and(eq(inspections.sourceSystem, client.sourceSystem), eq(inspections.sourceId, row.sourceId)))
    .for('update');
  const existingParts = existing ? await partRowsOf(tx, client.sourceSystem, row.sourceId) : [];
  if (existing && existing.sourceHash === hash) {
    const parts = existingParts.map((p) => ({ agencyCode: p.agencyCode, inspectionId: p.id, status: 'unchanged' as const }));
    return { line, sourceId: row.sourceId, status: 'unchanged', inspectionId: existing.id, sourceVersion: existing.sourceVersion ?? 1, ...(parts.length ? { parts } : {}) };
  }
  // A part once reported has counted toward that agency's cap; a correction may change it but not make it vanish.
  const dropped = existingParts.filter((p) => p.countsTowardCap && !row.cooperating.some((c) => c.agencyCode === p.agencyCode));
  if (dropped.length) {
    return {
      line,
      sourceId: row.sourceId,
      status: 'refused',
      errors: [{ field: 'cooperating', message: `更正不得删除已报送的协同单位 ${dropped.map((p) => p.agencyCode).join('、')}；该单位未参加检查的，请由平台撤销后重新报送` }],
    };
  }
  const enterprise = reg.enterprises.get(row.enterpriseCode)!;
  const districtCode = reg.agencies.get(row.agencyCode)?.districtCode ?? null;
  const columns = columnsOf(row, enterprise.scope);
  const facts = {
    sourceSystem: client.sourceSystem,
    sourceId: row.sourceId,
    kind: row.kind,
    mode: row.mode,
    matterCodes: row.matterCodes,
    windowStart: row.windowStart,
    windowEnd: row.windowEnd,
    countedDate: columns.countedDate,
    sourceCode: row.sourceCode,
    outcome: row.outcome,
    sampled: row.sampled,
  };
  const { inspection, status } = await writeImported(tx, { at, audit }, actor, client, {
    existing,
    columns,
    facts,
    hash,
    sourceId: row.sourceId,
    audited: { agencyCode: row.agencyCode, enterpriseCode: row.enterpriseCode, districtCode },
  });
  const parts = await applyParts(tx, { at, audit }, actor, client, row, { leadId: inspection.id, existingParts, scope: enterprise.scope, districtOf: (a) => reg.agencies.get(a)?.districtCode ?? null });
  const flags: string[] = [];
  if (needsCode(row) && !row.sourceCode && columns.countsTowardCap) {
    await raiseFlag(tx, at, { sub: actor.sub, role: actor.role }, {
      rule: 'ONSITE_WITHOUT_CODE',
      subjectType: 'inspection',
      subjectId: inspection.id,
      agencyCode: row.agencyCode,
      enterpriseCode: row.enterpriseCode,
      districtCode,
      observed: null,
      limit: '检查码',
      detail: `${client.name}报送的现场检查（来源编号 ${row.sourceId}，${enterprise.name}）未附检查码（第十七条）`,
      evidence: { sourceSystem: client.sourceSystem, sourceId: row.sourceId, windowStart: row.windowStart },
    });
    flags.push('ONSITE_WITHOUT_CODE');
  }
  return { line, sourceId: row.sourceId, status, inspectionId: inspection.id, sourceVersion: inspection.sourceVersion ?? 1, ...(flags.length ? { flags } : {}), ...(parts.length ? { parts } : {}) };
}

/**
 * Writes one imported record — a lead row or a cooperating agency's part of a joint visit — as a new inspection,
 * or as a correction of the one already imported under the same source id (its version counted up), with the
 * audit entry naming the facts and the content hash.
 */
async function writeImported(
  tx: Db,
  { at, audit }: CommandScope,
  actor: Principal,
  client: PlatformClient,
  w: {
    existing: Inspection | undefined;
    columns: ReturnType<typeof columnsOf>;
    facts: Record<string, unknown>;
    hash: string;
    sourceId: string;
    audited: { agencyCode: string; enterpriseCode: string; districtCode: string | null };
  },
): Promise<{ inspection: Inspection; status: 'created' | 'corrected' }> {
  const { existing, columns, facts, hash } = w;
  if (existing) {
    const sourceVersion = (existing.sourceVersion ?? 1) + 1;
    const inspection = await updateInspection(tx, existing, { ...columns, sourceVersion, sourceHash: hash }, at);
    await audit({ action: 'inspection.import_corrected', subjectType: 'inspection', subjectId: inspection.id, ...w.audited, before: existing.state, after: inspection.state, payload: { ...facts, sourceVersion, previousHash: existing.sourceHash, hash } });
    return { inspection, status: 'corrected' };
  }
  const inspection = await insertInspection(tx, {
    id: randomUUID(),
    ...columns,
    state: IMPORTED_STATE,
    // Who inspected stays on the source platform (Art. 8); the record here holds what caps and supervision read.
    inspectors: [],
    checklist: [],
    createdBy: actor.sub,
    createdAt: at,
    updatedAt: at,
    sourceSystem: client.sourceSystem,
    sourceId: w.sourceId,
    sourceVersion: 1,
    sourceHash: hash,
  });
  await audit({ action: 'inspection.imported', subjectType: 'inspection', subjectId: inspection.id, ...w.audited, after: IMPORTED_STATE, payload: { ...facts, sourceVersion: 1, hash } });
  return { inspection, status: 'created' };
}

/** The stored cooperating parts of an imported joint visit: the rows keyed `<source id>#<agency>`. */
async function partRowsOf(tx: Db, sourceSystem: string, sourceId: string): Promise<Inspection[]> {
  const prefix = `${sourceId}${PART_SEPARATOR}`;
  return tx
    .select()
    .from(inspections)
    .where(and(eq(inspections.sourceSystem, sourceSystem), sql`starts_with(${inspections.sourceId}, ${prefix})`))
    .orderBy(inspections.agencyCode)
    .for('update');
}

/**
 * 综合查一次 imported (Art. 26, 29): each cooperating unit's part is an inspection row of that agency at the
 * enterprise, same kind, window and counted date as the lead's, exactly as a local joint task stores one row
 * per participating agency (src/visits/joint) — so each part counts toward that agency's cap and is seen by the
 * coordination advice like any planned visit. Each part is versioned and audited on its own row.
 */
async function applyParts(
  tx: Db,
  { at, audit }: CommandScope,
  actor: Principal,
  client: PlatformClient,
  row: ImportRow,
  ctx: { leadId: string; existingParts: Inspection[]; scope: string; districtOf: (agencyCode: string) => string | null },
): Promise<NonNullable<RowReport['parts']>> {
  const out: NonNullable<RowReport['parts']> = [];
  for (const part of row.cooperating) {
    const sourceId = partSourceId(row.sourceId, part.agencyCode);
    const hash = rowHash({ ...row, sourceId, agencyCode: part.agencyCode, matterCodes: part.matterCodes, outcome: part.outcome, sampled: false, sourceCode: null, cooperating: [] });
    const existing = ctx.existingParts.find((p) => p.sourceId === sourceId);
    if (existing && existing.sourceHash === hash) {
      out.push({ agencyCode: part.agencyCode, inspectionId: existing.id, status: 'unchanged' });
      continue;
    }
    const columns = columnsOf(row, ctx.scope, part);
    const facts = {
      sourceSystem: client.sourceSystem,
      sourceId,
      jointVisit: { sourceId: row.sourceId, leadAgencyCode: row.agencyCode, leadInspectionId: ctx.leadId, role: 'cooperating' },
      kind: row.kind,
      mode: row.mode,
      matterCodes: part.matterCodes,
      windowStart: row.windowStart,
      windowEnd: row.windowEnd,
      countedDate: columns.countedDate,
      outcome: part.outcome,
    };
    const { inspection, status } = await writeImported(tx, { at, audit }, actor, client, {
      existing,
      columns,
      facts,
      hash,
      sourceId,
      audited: { agencyCode: part.agencyCode, enterpriseCode: row.enterpriseCode, districtCode: ctx.districtOf(part.agencyCode) },
    });
    out.push({ agencyCode: part.agencyCode, inspectionId: inspection.id, status });
  }
  return out;
}
