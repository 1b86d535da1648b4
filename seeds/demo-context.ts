import { and, asc, eq, ne } from 'drizzle-orm';
import { appendAudit } from '../src/audit/append.js';
import type { Principal } from '../src/auth/principal.js';
import type { Keyring } from '../src/codes/keyring.js';
import type { CommandScope } from '../src/commands/command.js';
import type { Db } from '../src/db/client.js';
import { enterprises } from '../src/db/schema/index.js';
import { raiseFlag, type FlagActor } from '../src/flags/raise.js';
import { addDays, shanghaiDate, shanghaiYear } from '../src/time/shanghai-date.js';

/** What the demo-activity seeds share: the transaction, the clock of the seed and its helpers. */
export interface DemoActivity {
  plans: number;
  inspections: number;
  flags: number;
  reports: number;
  ratings: number;
  referrals: number;
}

export interface DemoContext {
  tx: Db;
  at: Date;
  year: number;
  keyring: Keyring;
  counts: DemoActivity;
  /** 09:00 (or `hour`) Shanghai time `n` days before `at`, never before the year's first working week. */
  dayAt(n: number, hour?: number): Date;
  /** `h` hours after `d`, but never after `at`. */
  hours(d: Date, h: number): Date;
  /** A command scope writing audit entries as `actor` at `when`, for the real commands. */
  scopeAt(when: Date, actor: Principal): CommandScope;
  /** raiseFlag, counted. */
  flag(when: Date, actor: FlagActor, input: Parameters<typeof raiseFlag>[3]): Promise<string | null>;
  /** An in-scope enterprise not used yet, in `district` when there is one left there. */
  enterpriseIn(district?: string): { creditCode: string; districtCode: string };
}

export async function demoContext(tx: Db, at: Date, keyring: Keyring): Promise<DemoContext> {
  const year = shanghaiYear(at);
  const today = shanghaiDate(at);
  // The year's first working week, or today in the first days of January.
  const earliest = today < `${year}-01-05` ? today : `${year}-01-05`;
  const counts: DemoActivity = { plans: 0, inspections: 0, flags: 0, reports: 0, ratings: 0, referrals: 0 };
  // In-scope enterprises, skipping class A (the 无事不扰 list draws from them).
  const rows = await tx
    .select({ creditCode: enterprises.creditCode, districtCode: enterprises.districtCode })
    .from(enterprises)
    .where(and(eq(enterprises.scope, 'in_scope'), ne(enterprises.riskClass, 'A')))
    .orderBy(asc(enterprises.creditCode));
  const used = new Set<string>();
  return {
    tx,
    at,
    year,
    keyring,
    counts,
    dayAt(n, hour = 9) {
      const d = addDays(today, -n);
      return new Date(`${d < earliest ? earliest : d}T${String(hour).padStart(2, '0')}:00:00+08:00`);
    },
    hours: (d, h) => new Date(Math.min(d.getTime() + h * 3600_000, at.getTime())),
    scopeAt: (when, actor) => ({ at: when, audit: (e) => appendAudit(tx, { ...e, at: when, actor: actor.sub, role: actor.role }) }),
    async flag(when, actor, input) {
      const id = await raiseFlag(tx, when, actor, input);
      if (id) counts.flags++;
      return id;
    },
    enterpriseIn(district) {
      const e = rows.find((r) => !used.has(r.creditCode) && (!district || r.districtCode === district)) ?? rows.find((r) => !used.has(r.creditCode))!;
      used.add(e.creditCode);
      return e;
    },
  };
}
