import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { agencies, codeScans, inspectionCodes, inspections } from '../db/schema/index.js';
import { visibleToEnterpriseSql } from './enterprise-disclosure.js';

export type Inspection = typeof inspections.$inferSelect;
export type NewInspection = typeof inspections.$inferInsert;
export type InspectionCode = typeof inspectionCodes.$inferSelect;
export type CodeScan = typeof codeScans.$inferSelect;

export async function findInspection(db: Db, id: string, forUpdate = false): Promise<Inspection | undefined> {
  const q = db.select().from(inspections).where(eq(inspections.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function insertInspection(db: Db, row: NewInspection): Promise<Inspection> {
  const [out] = await db.insert(inspections).values(row).returning();
  return out!;
}

/** Writes a new state and facts, bumping the version the row was read at. */
export async function updateInspection(db: Db, current: Inspection, patch: Partial<NewInspection>, at: Date): Promise<Inspection> {
  const [out] = await db
    .update(inspections)
    .set({ ...patch, version: current.version + 1, updatedAt: at })
    .where(and(eq(inspections.id, current.id), eq(inspections.version, current.version)))
    .returning();
  if (!out) throw new DomainError('VERSION_CONFLICT', '检查记录已被他人修改，请刷新后重试');
  return out;
}

export interface InspectionFilter {
  agency?: string;
  enterprise?: string;
  state?: string;
  kind?: string;
  /** A district supervisor: agencies of the district. */
  agencyDistrict?: string;
  from?: string;
  to?: string;
  /** The inspected enterprise asking: only what it may see at this instant (src/visits/enterprise-disclosure.ts). */
  enterpriseView?: Date;
  limit: number;
  offset: number;
}

export function listInspections(db: Db, f: InspectionFilter) {
  const where: SQL[] = [];
  if (f.agency) where.push(eq(inspections.agencyCode, f.agency));
  if (f.enterprise) where.push(eq(inspections.enterpriseCode, f.enterprise));
  if (f.state) where.push(eq(inspections.state, f.state));
  if (f.kind) where.push(eq(inspections.kind, f.kind as Inspection['kind']));
  if (f.from) where.push(gte(inspections.countedDate, f.from));
  if (f.to) where.push(lte(inspections.countedDate, f.to));
  if (f.enterpriseView) where.push(visibleToEnterpriseSql(f.enterpriseView));
  if (f.agencyDistrict) {
    where.push(inArray(inspections.agencyCode, db.select({ code: agencies.code }).from(agencies).where(eq(agencies.districtCode, f.agencyDistrict))));
  }
  return db
    .select()
    .from(inspections)
    .where(and(...where))
    .orderBy(desc(inspections.windowStart))
    .limit(f.limit)
    .offset(f.offset);
}

/**
 * Serialises every cap-relevant write at one enterprise across API instances: the count-and-insert of a
 * code happens under this transaction-scoped advisory lock, never in process memory (DESIGN.md).
 */
export async function lockEnterprise(tx: Db, creditCode: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(327, hashtext(${creditCode}))`);
}

export async function findCode(db: Db, code: string, forUpdate = false): Promise<InspectionCode | undefined> {
  const q = db.select().from(inspectionCodes).where(eq(inspectionCodes.code, code));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function codeOfInspection(db: Db, inspectionId: string): Promise<InspectionCode | undefined> {
  const [row] = await db.select().from(inspectionCodes).where(eq(inspectionCodes.inspectionId, inspectionId));
  return row;
}

export async function scansOf(db: Db, code: string): Promise<CodeScan[]> {
  return db.select().from(codeScans).where(eq(codeScans.code, code)).orderBy(asc(codeScans.scannedAt));
}
