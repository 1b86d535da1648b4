import { and, asc, eq, gt, gte, lte, or, sql } from 'drizzle-orm';
import { outcomeSummaryZh } from '../visits/outcome.js';
import { FLAG_STATE_ZH, type FlagState } from '../../machines/flag.machine.js';
import { INSPECTION_STATE_ZH, type InspectionState } from '../../machines/inspection.machine.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { agencies, codeScans, enterprises, inspectionCodes, inspections } from '../db/schema/index.js';
import { KIND_ZH } from '../visits/documents.js';
import { ruleDef, type RuleId } from '../rules/catalog.js';
import type { CsvValue } from './csv.js';
import type { NamedFlag } from './flags.repository.js';
import { withinJurisdiction } from './jurisdiction.js';

/** Column layouts of the supervisors' CSV exports (zh-CN headers: the files are read in Excel). */
const SEVERITY_ZH: Record<string, string> = { low: '低', medium: '中', high: '高' };
const MODE_ZH: Record<string, string> = { onsite: '现场检查', offsite: '非现场检查' };

export const FLAG_CSV_HEADER = [
  '标记编号', '规则', '规则名称', '条款', '严重程度', '说明', '行政执法主体代码', '行政执法主体', '统一社会信用代码', '企业名称',
  '行政区', '记录类型', '记录编号', '发现时间', '状态', '审阅人', '审阅时间', '审阅意见',
] as const;

export function flagCsvRow({ flag: f, agencyName, enterpriseName }: NamedFlag): CsvValue[] {
  return [
    f.id, f.rule, ruleDef(f.rule as RuleId)?.titleZh ?? '', f.article, SEVERITY_ZH[f.severity] ?? f.severity, f.detail, f.agencyCode, agencyName,
    f.enterpriseCode, enterpriseName, f.districtCode, f.subjectType, f.subjectId, f.raisedAt, FLAG_STATE_ZH[f.state as FlagState] ?? f.state,
    f.reviewedBy, f.reviewedAt, f.reviewNote,
  ];
}

export const INSPECTION_CSV_HEADER = [
  '检查编号', '行政执法主体代码', '行政执法主体', '统一社会信用代码', '企业名称', '检查类型', '检查方式', '状态', '检查事项', '登记开始时间',
  '登记结束时间', '计入日期', '检查码', '检查码状态', '有效扫码次数', '处理结果', '结果告知时间', '结束时间',
  // Art. 24, 29: an inspection imported from an upper-level platform names it; empty for those recorded here.
  '来源系统', '来源编号',
] as const;

const inspectionExportRow = (db: Db) =>
  db
    .select({
      i: inspections,
      agencyName: agencies.name,
      enterpriseName: enterprises.name,
      code: inspectionCodes.code,
      codeState: inspectionCodes.state,
      acceptedScans: sql<number>`(SELECT count(*)::int FROM ${codeScans} WHERE ${codeScans.code} = ${inspectionCodes.code} AND ${codeScans.accepted})`,
    })
    .from(inspections)
    .leftJoin(agencies, eq(agencies.code, inspections.agencyCode))
    .leftJoin(enterprises, eq(enterprises.creditCode, inspections.enterpriseCode))
    .leftJoin(inspectionCodes, eq(inspectionCodes.inspectionId, inspections.id));

type InspectionExportRow = Awaited<ReturnType<ReturnType<typeof inspectionExportRow>['where']>>[number];

/** Inspections counted in [from, to] (Shanghai dates), within the jurisdiction, oldest first in keyset batches. */
export async function* inspectionBatches(db: Db, p: Principal, period: { from: string; to: string }, size = 1000): AsyncGenerator<InspectionExportRow[]> {
  const scope = and(withinJurisdiction(db, p, inspections.agencyCode), gte(inspections.countedDate, period.from), lte(inspections.countedDate, period.to));
  let after: { windowStart: Date; id: string } | undefined;
  for (;;) {
    const cursor = after
      ? or(gt(inspections.windowStart, after.windowStart), and(eq(inspections.windowStart, after.windowStart), gt(inspections.id, after.id)))
      : undefined;
    const rows = await inspectionExportRow(db).where(and(scope, cursor)).orderBy(asc(inspections.windowStart), asc(inspections.id)).limit(size);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    const last = rows[rows.length - 1]!.i;
    after = { windowStart: last.windowStart, id: last.id };
  }
}

export function inspectionCsvRow(r: InspectionExportRow): CsvValue[] {
  const i = r.i;
  const outcome = i.outcome ? outcomeSummaryZh(i.outcome) : null;
  return [
    i.id, i.agencyCode, r.agencyName, i.enterpriseCode, r.enterpriseName, KIND_ZH[i.kind] ?? i.kind, MODE_ZH[i.mode] ?? i.mode,
    INSPECTION_STATE_ZH[i.state as InspectionState] ?? (i.state === 'recorded' ? '上级平台已记录' : i.state), i.matterCodes.join('、'), i.windowStart, i.windowEnd, i.countedDate, r.code,
    r.codeState, r.code ? Number(r.acceptedScans) : null, outcome || null, i.resultNotifiedAt, i.closedAt,
    i.sourceSystem, i.sourceId,
  ];
}
