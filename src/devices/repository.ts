import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies, monitoringDevices } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';

export type Device = typeof monitoringDevices.$inferSelect;
export type NewDevice = typeof monitoringDevices.$inferInsert;

export async function findDevice(db: Db, id: string, forUpdate = false): Promise<Device | undefined> {
  const q = db.select().from(monitoringDevices).where(eq(monitoringDevices.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function insertDevice(db: Db, row: NewDevice): Promise<Device> {
  const [out] = await db.insert(monitoringDevices).values(row).returning();
  return out!;
}

export async function updateDevice(db: Db, current: Device, patch: Partial<NewDevice>, at: Date): Promise<Device> {
  const [out] = await db
    .update(monitoringDevices)
    .set({ ...patch, version: current.version + 1, updatedAt: at })
    .where(and(eq(monitoringDevices.id, current.id), eq(monitoringDevices.version, current.version)))
    .returning();
  if (!out) throw new DomainError('VERSION_CONFLICT', '设备记录已被他人修改，请刷新后重试');
  return out;
}

export interface DeviceFilter {
  agency?: string;
  /** A district supervisor: devices of the district's agencies. */
  agencyDistrict?: string;
  /** Where the device stands (public list filter). */
  district?: string;
  states?: readonly string[];
  limit: number;
  offset: number;
}

export function listDevices(db: Db, f: DeviceFilter) {
  const where: SQL[] = [];
  if (f.agency) where.push(eq(monitoringDevices.agencyCode, f.agency));
  if (f.agencyDistrict) {
    where.push(inArray(monitoringDevices.agencyCode, db.select({ code: agencies.code }).from(agencies).where(eq(agencies.districtCode, f.agencyDistrict))));
  }
  if (f.district) where.push(eq(monitoringDevices.districtCode, f.district));
  if (f.states) where.push(inArray(monitoringDevices.state, [...f.states]));
  return db
    .select({ device: monitoringDevices, agencyName: agencies.name })
    .from(monitoringDevices)
    .innerJoin(agencies, eq(agencies.code, monitoringDevices.agencyCode))
    .where(and(...where))
    .orderBy(asc(monitoringDevices.createdAt), asc(monitoringDevices.id))
    .limit(f.limit)
    .offset(f.offset);
}
