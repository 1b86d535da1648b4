import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { agencies, enterpriseReportPhotos, enterpriseReports, enterprises } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency } from '../registry/agencies.repository.js';
import type { EnterpriseReport } from './enterprise-report.js';
import { shanghaiDayRange } from './shanghai-time.js';
import { assertWithinJurisdiction, withinJurisdiction } from './jurisdiction.js';

/**
 * Who reads enterprise reports: the reporting enterprise (its own only) and supervisors within their
 * jurisdiction (the enterprise's district, or the reported agency's). Nobody else.
 */
function scopeOf(db: Db, p: Principal): SQL | undefined {
  if (p.role === 'enterprise') return eq(enterpriseReports.enterpriseCode, p.creditCode ?? '');
  return withinJurisdiction(db, p, enterpriseReports.agencyCode, enterpriseReports.districtCode);
}

export interface ReportFilter {
  enterprise?: string;
  agency?: string;
  from?: string;
  to?: string;
}

const named = (db: Db) =>
  db
    .select({ report: enterpriseReports, agencyName: agencies.name, enterpriseName: enterprises.name })
    .from(enterpriseReports)
    .leftJoin(agencies, eq(agencies.code, enterpriseReports.agencyCode))
    .leftJoin(enterprises, eq(enterprises.creditCode, enterpriseReports.enterpriseCode));

export type NamedReport = { report: EnterpriseReport; agencyName: string | null; enterpriseName: string | null };

function conditions(db: Db, p: Principal, f: ReportFilter): SQL | undefined {
  return and(
    scopeOf(db, p),
    f.enterprise ? eq(enterpriseReports.enterpriseCode, f.enterprise) : undefined,
    f.agency ? eq(enterpriseReports.agencyCode, f.agency) : undefined,
    ...shanghaiDayRange(enterpriseReports.visitedAt, f.from, f.to),
  );
}

export async function listReports(db: Db, p: Principal, f: ReportFilter, page: { limit: number; offset: number }) {
  const where = conditions(db, p, f);
  const [rows, [total]] = await Promise.all([
    named(db).where(where).orderBy(desc(enterpriseReports.visitedAt), desc(enterpriseReports.id)).limit(page.limit).offset(page.offset),
    db.select({ n: count() }).from(enterpriseReports).where(where),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}

/** One report the caller may read, or OUT_OF_SCOPE without a word about it. */
export async function readableReport(db: Db, p: Principal, id: string): Promise<NamedReport> {
  const [row] = await named(db).where(eq(enterpriseReports.id, id));
  if (!row) throw DomainError.notFound('企业报告', id);
  if (p.role === 'enterprise') {
    if (row.report.enterpriseCode !== p.creditCode) throw new DomainError('OUT_OF_SCOPE', '企业只能查看本企业的报告');
  } else {
    const agency = row.report.agencyCode ? await findAgency(db, row.report.agencyCode) : undefined;
    assertWithinJurisdiction(p, { agency, districtCode: row.report.districtCode }, '企业报告');
  }
  return row;
}

export async function reportPhoto(db: Db, reportId: string): Promise<Buffer | undefined> {
  const [row] = await db.select().from(enterpriseReportPhotos).where(eq(enterpriseReportPhotos.reportId, reportId));
  return row?.data;
}
