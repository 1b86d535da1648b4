import { eq } from 'drizzle-orm';
import type { Database, Db } from '../db/client.js';
import { NotifiedCache } from '../db/notified-cache.js';
import { agencies, districts, enterprises } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import type { Principal } from './principal.js';

export const REGISTRY_CHANGED_CHANNEL = 'wh327_registry_changed';

/** What the registry says about the unit a token names (null: no such row). */
interface AgencyFacts {
  name: string;
  level: 'city' | 'district';
  districtCode: string | null;
  districtKind: string | null;
  isJusticeBureau: boolean;
  active: boolean;
}

async function loadAgency(db: Db, code: string): Promise<AgencyFacts | null> {
  const [row] = await db
    .select({
      name: agencies.name,
      level: agencies.level,
      districtCode: agencies.districtCode,
      districtKind: districts.kind,
      isJusticeBureau: agencies.isJusticeBureau,
      active: agencies.active,
    })
    .from(agencies)
    .leftJoin(districts, eq(districts.code, agencies.districtCode))
    .where(eq(agencies.code, code));
  return row ?? null;
}

async function loadEnterprise(db: Db, creditCode: string): Promise<{ name: string } | null> {
  const [row] = await db.select({ name: enterprises.name }).from(enterprises).where(eq(enterprises.creditCode, creditCode));
  return row ?? null;
}

/**
 * Who a verified token's caller is, decided by the registry rather than by the token's optional claims
 * (issue 15): an officer's or head's agency must exist and be active (在用); an enterprise must be
 * registered; a supervisor's agency must be an active Wuhan justice bureau (Art. 6: 市、区司法行政部门),
 * and its jurisdiction — the whole city for the city bureau, one district for a district bureau — comes
 * from that row. A `district` claim in the token is ignored.
 *
 * The rows are cached per instance (every request needs one), dropped whenever agencies, enterprises or
 * districts change (a statement trigger notifies REGISTRY_CHANGED_CHANNEL at commit). While the
 * notification connection is down the cache is bypassed: a revoked agency must not keep working.
 */
export class PrincipalDirectory {
  // Bounded memory: a few hundred bytes an entry. An unknown unit is kept too (as null): its refusal is as stable.
  private readonly cache: NotifiedCache<AgencyFacts | { name: string } | null>;

  constructor(private readonly database: Database) {
    this.cache = new NotifiedCache(database, REGISTRY_CHANGED_CHANNEL, { maxEntries: 50_000, ttlMs: 5 * 60_000 });
  }

  start(): Promise<void> {
    return this.cache.start();
  }

  close(): Promise<void> {
    return this.cache.close();
  }

  /** Drops every cached row (after a change this instance made, before its notification arrives). */
  invalidate(): void {
    this.cache.clear();
  }

  private cached<T extends AgencyFacts | { name: string }>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    return this.cache.get(key, load) as Promise<T | null>;
  }

  /** The principal as the registry has it, or a 403 saying which row refuses it. */
  async resolve(p: Principal): Promise<Principal> {
    const db = this.database.db;
    if (p.role === 'admin') return p;
    // A platform client's row is platform_clients (src/exchange): its routes resolve and scope it there.
    if (p.role === 'platform') return p;
    if (p.role === 'enterprise') {
      const e = await this.cached(`e:${p.creditCode}`, () => loadEnterprise(db, p.creditCode!));
      if (!e) throw new DomainError('PRINCIPAL_UNKNOWN', `令牌所称企业（统一社会信用代码 ${p.creditCode}）未登记`);
      return p;
    }
    const a = await this.cached(`a:${p.agency}`, () => loadAgency(db, p.agency!));
    if (!a) throw new DomainError('PRINCIPAL_UNKNOWN', `令牌所称行政执法主体（${p.agency}）未登记`);
    if (!a.active) throw new DomainError('PRINCIPAL_INACTIVE', `${a.name}已停用，其人员令牌不再有效`);
    const { district: _claimed, ...rest } = p;
    if (p.role !== 'supervisor') return rest;
    // Art. 6: supervision belongs to the city's and the districts' justice bureaus (司法行政部门) only.
    const wuhan = a.level === 'city' ? a.districtCode === null : a.districtKind !== 'outside' && a.districtCode !== null;
    if (!a.isJusticeBureau || !wuhan) {
      throw new DomainError('SUPERVISOR_NOT_JUSTICE_BUREAU', `${a.name}不是本市司法行政部门，其人员不能以监督人员身份办理（第六条）`);
    }
    return a.level === 'district' ? { ...rest, district: a.districtCode! } : rest;
  }
}
