import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies, enterprises } from '../db/schema/index.js';
import type { Role } from '../auth/principal.js';
import { TEAMS } from '../../seeds/demo-inspections.js';

/**
 * The people of the local development identity provider (src/oidc/dev-provider.ts), one or more for every
 * role the apps serve: the officers are the seeded teams (姓名 and 执法证号 as the demo inspections carry
 * them), the heads and supervisors are named for their units, and the enterprises' legal representatives
 * (法定代表人) are attached to the first registered enterprises. Units that the registry does not hold
 * (a database seeded differently) are left out, so every person listed can sign in.
 */
export interface DemoPerson {
  /** The account id: also the token's `sub`. */
  id: string;
  role: Role;
  name: string;
  agency?: string;
  creditCode?: string;
  certificateNo?: string;
  /** The unit's name, for the picker. */
  unitName: string;
  /** What the picker says the person is (执法人员, 负责人, …). */
  roleZh: string;
}

interface Seat {
  role: Role;
  name: string;
  agency: string;
  certificateNo?: string;
  roleZh: string;
}

const officers = (key: string, agency: string): Seat[] =>
  (TEAMS[key] ?? []).map((p) => ({ role: 'officer', name: p.name, agency, certificateNo: p.certificateNo, roleZh: '执法人员' }));

const SEATS: Seat[] = [
  // The README's walk-through is 武昌区市场监督管理局's (a district bureau inspects its district's enterprises).
  ...officers('SCJG', '420106-SCJG'),
  ...officers('YJGL', 'WH-YJGL'),
  ...officers('STHJ', 'WH-STHJ'),
  { role: 'agency_head', name: '郑国华', agency: '420106-SCJG', roleZh: '单位负责人' },
  { role: 'agency_head', name: '吴建平', agency: 'WH-YJGL', roleZh: '单位负责人' },
  { role: 'agency_head', name: '冯志远', agency: 'WH-STHJ', roleZh: '单位负责人' },
  { role: 'supervisor', name: '何雪梅', agency: 'WH-SFJ', roleZh: '监督人员（市司法局）' },
  { role: 'supervisor', name: '罗振宇', agency: '420106-SFJ', roleZh: '监督人员（区司法局）' },
];

const REPRESENTATIVES = ['赵立新', '孙海燕', '钱国强'];

/**
 * Seats for a registry without the demo units (a database seeded by the tests' factories): for each of the
 * first active units, two officers of the seeded teams and a head, or a supervisor for a justice bureau.
 */
async function seatsFromRegistry(db: Db): Promise<Seat[]> {
  const rows = await db
    .select({ code: agencies.code, isJusticeBureau: agencies.isJusticeBureau })
    .from(agencies)
    .where(eq(agencies.active, true))
    .orderBy(asc(agencies.code))
    .limit(12);
  const team = TEAMS.SCJG ?? [];
  return rows.flatMap((a): Seat[] =>
    a.isJusticeBureau
      ? [{ role: 'supervisor', name: '何雪梅', agency: a.code, roleZh: '监督人员' }]
      : [...team.map((p) => ({ role: 'officer' as const, name: p.name, agency: a.code, certificateNo: p.certificateNo, roleZh: '执法人员' })), { role: 'agency_head', name: '郑国华', agency: a.code, roleZh: '单位负责人' }],
  );
}

export async function loadDemoPeople(db: Db): Promise<DemoPerson[]> {
  let seats = SEATS;
  let units = await db
    .select({ code: agencies.code, name: agencies.name })
    .from(agencies)
    .where(inArray(agencies.code, [...new Set(SEATS.map((s) => s.agency))]));
  if (units.length === 0) {
    seats = await seatsFromRegistry(db);
    units = await db.select({ code: agencies.code, name: agencies.name }).from(agencies).where(inArray(agencies.code, [...new Set(seats.map((s) => s.agency)), '']));
  }
  const unitName = new Map(units.map((u) => [u.code, u.name]));
  const people: DemoPerson[] = seats.filter((s) => unitName.has(s.agency)).map((s) => ({
    id: `${s.role}:${s.agency}:${s.certificateNo ?? s.name}`,
    role: s.role,
    name: s.name,
    agency: s.agency,
    certificateNo: s.certificateNo,
    unitName: unitName.get(s.agency)!,
    roleZh: s.roleZh,
  }));
  const firms = await db.select({ creditCode: enterprises.creditCode, name: enterprises.name }).from(enterprises).orderBy(asc(enterprises.creditCode)).limit(REPRESENTATIVES.length);
  firms.forEach((e, k) =>
    people.push({ id: `enterprise:${e.creditCode}`, role: 'enterprise', name: REPRESENTATIVES[k]!, creditCode: e.creditCode, unitName: e.name, roleZh: '法定代表人' }),
  );
  return people;
}
