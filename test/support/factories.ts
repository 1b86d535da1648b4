import { randomUUID } from 'node:crypto';
import { makeCreditCode } from '../../seeds/credit-codes.js';
import type { Principal } from '../../src/auth/principal.js';
import type { Db } from '../../src/db/client.js';
import { agencies, districts, enterprises, inspectionMatters } from '../../src/db/schema/index.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import type { Enterprise } from '../../src/registry/enterprises.repository.js';
import type { EntityType } from '../../src/registry/entity-scope.js';
import { scopeOf } from '../../src/registry/entity-scope.js';
import type { Matter } from '../../src/registry/matters.repository.js';

/**
 * Test factories (immich's ctx.newUser() pattern): each call makes a consistent record with sensible
 * defaults and unique keys, written straight through drizzle so tests state only what they care about.
 */
let counter = 0;
const next = () => ++counter + Math.floor(Math.random() * 1_000_000) * 1000;
const epoch = new Date('2025-11-01T00:00:00Z');

export async function newDistrict(db: Db, over: Partial<typeof districts.$inferInsert> = {}) {
  const n = next();
  const row = { code: `D${n}`, name: `测试区${n}`, kind: 'administrative' as const, sort: 0, ...over };
  await db.insert(districts).values(row).onConflictDoNothing();
  return row;
}

export async function newAgency(db: Db, over: Partial<typeof agencies.$inferInsert> = {}): Promise<Agency> {
  const n = next();
  const level = over.level ?? (over.districtCode ? 'district' : 'city');
  const districtCode = level === 'district' ? (over.districtCode ?? (await newDistrict(db)).code) : null;
  const [row] = await db
    .insert(agencies)
    .values({
      code: `AG-${n}`,
      name: `测试市场监督管理局${n}`,
      kind: 'organ',
      isJusticeBureau: false,
      domains: ['market', 'food'],
      parentCode: null,
      createdAt: epoch,
      ...over,
      level,
      districtCode,
    })
    .returning();
  return row!;
}

export async function newJusticeBureau(db: Db, over: Partial<typeof agencies.$inferInsert> = {}): Promise<Agency> {
  return newAgency(db, { name: '测试司法局', isJusticeBureau: true, domains: [], ...over });
}

export async function newEnterprise(
  db: Db,
  over: Partial<typeof enterprises.$inferInsert> & { entityType?: EntityType } = {},
): Promise<Enterprise> {
  const n = next();
  const entityType = over.entityType ?? 'limited_company';
  const districtCode = over.districtCode ?? (await newDistrict(db)).code;
  const [row] = await db
    .insert(enterprises)
    .values({
      creditCode: makeCreditCode(entityType, '420106', n % 90_000_000),
      name: `武汉测试${n}有限公司`,
      address: '湖北省武汉市武昌区中北路1号',
      riskClass: 'B',
      createdAt: epoch,
      ...over,
      districtCode,
      entityType,
      scope: scopeOf(entityType),
    })
    .returning();
  return row!;
}

export async function newMatter(
  db: Db,
  agencyCode: string,
  over: Partial<typeof inspectionMatters.$inferInsert> = {},
): Promise<Matter> {
  const n = next();
  const [row] = await db
    .insert(inspectionMatters)
    .values({
      id: randomUUID(),
      agencyCode,
      matterCode: `M-${n}`,
      version: 1,
      name: `食品生产经营监督检查${n}`,
      legalBasis: '《中华人民共和国食品安全法》第一百一十条',
      domain: 'food',
      offsiteCapable: false,
      foodDrug: true,
      state: 'published',
      effectiveFrom: '2025-12-01',
      publishedAt: epoch,
      createdAt: epoch,
      ...over,
    })
    .returning();
  return row!;
}

/** Principals for tokens. */
export const as = {
  admin: (): Principal => ({ sub: 'admin:test', role: 'admin' }),
  officer: (agency: string): Principal => ({ sub: `officer:${agency}`, role: 'officer', agency }),
  head: (agency: string): Principal => ({ sub: `head:${agency}`, role: 'agency_head', agency }),
  supervisor: (agency: string, district?: string): Principal => ({
    sub: `supervisor:${agency}`,
    role: 'supervisor',
    agency,
    ...(district ? { district } : {}),
  }),
  enterprise: (creditCode: string): Principal => ({ sub: `enterprise:${creditCode}`, role: 'enterprise', creditCode }),
  /** A machine client of an upper-level platform (its registry row decides its scope: src/exchange). */
  platform: (clientId: string): Principal => ({ sub: `platform:${clientId}`, role: 'platform' }),
};
