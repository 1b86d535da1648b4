import type { FastifyInstance } from 'fastify';
import { signDevToken, type DevKey } from '../../src/auth/dev-key.js';
import type { Principal } from '../../src/auth/principal.js';
import type { Db } from '../../src/db/client.js';
import { runSweep } from '../../src/sweeper/run.js';
import type { ManualClock } from '../../src/time/clock.js';
import { MATTER_CATALOG } from '../../seeds/matter-catalog.js';
import { bureauOf, matterInfo, YEAR } from './model.js';
import type { PlannedVisit, Schedule } from './schedule.js';
import { inParallel, Recorder, Tally } from './stats.js';
import type { SchemeRecord } from './matching.js';
import type { LoadedVisit } from './load.js';

const who = {
  officer: (agency: string): Principal => ({ sub: `officer:${agency}`, role: 'officer', agency }),
  head: (agency: string): Principal => ({ sub: `head:${agency}`, role: 'agency_head', agency }),
  supervisor: (agency: string, district?: string): Principal => ({ sub: `supervisor:${agency}`, role: 'supervisor', agency, ...(district ? { district } : {}) }),
  enterprise: (creditCode: string): Principal => ({ sub: `enterprise:${creditCode}`, role: 'enterprise', creditCode }),
};

const at = (day: string, hhmm: string) => `${day}T${hhmm}:00+08:00`;
const CHECKLIST = ['许可证照及公示情况', '管理制度及台账记录', '现场设施设备状况'];
const TEAM = (agency: string) => [
  { name: '王晓明', certificateNo: `${agency}-0001` },
  { name: '陈丽华', certificateNo: `${agency}-0002` },
];

export interface ReplayResult {
  burst: Recorder;
  allDay: Recorder;
  refusals: Tally;
  codesIssued: number;
  visited: Map<string, number>;
  schemes: SchemeRecord[];
  sweeps: { day: string; ms: number; raised: number }[];
  yearEndSweepMs: number;
  yearEndRaised: number;
  unexpected: string[];
  dailyCodes: Map<string, number>;
  /** Driven days only (full-scale mode): each selected day's 9 a.m. burst by operation. */
  burstByDay: Map<string, Recorder>;
  /** Full-scale mode: the schedule's visits loaded directly instead of through the API, and those left out. */
  loaded: number;
  loadedMs: number;
  /** Loaded-day schemes drafted before their agency's plan was published: loaded as drafts, the approval the API refuses. */
  loadRefusedNoPlan: number;
}

/**
 * Full-scale mode (bench/replay/load.ts): only the schemes drafted or visited on a `driven` day go through the API;
 * `load` writes the rest directly, as the API would have left them, before the 9 a.m. burst of their drafting day,
 * so the counts the rules read on a driven day are the year's own. The plan season is driven in full.
 */
export interface FastForward {
  driven: ReadonlySet<string>;
  load: (visits: LoadedVisit[]) => Promise<{ inspections: number; codes: number }>;
  /** The visits on an undriven day of schemes a driven day coded through the API (load.ts makeFinisher). */
  finish: (items: { visit: PlannedVisit; inspectionId: string; code: string }[]) => Promise<void>;
}

/**
 * Plays the schedule through the HTTP API (app.inject) at an accelerated clock: each working day the clock is
 * set to the hour of each phase and the phase's calls are made, those of the 9 a.m. burst concurrently (8 in
 * flight: desks opening at once). Every operation measured is an API call; the sweeper runs as the scheduled
 * job does (src/sweeper/run.ts), weekly and once at year end.
 */
export async function driveYear(app: FastifyInstance, db: Db, clock: ManualClock, devKey: DevKey, schedule: Schedule, log: (s: string) => void, ff?: FastForward): Promise<ReplayResult> {
  const tokens = new Map<string, string>();
  const auth = (p: Principal) => {
    let t = tokens.get(p.sub);
    if (!t) tokens.set(p.sub, (t = signDevToken(devKey, p)));
    return `Bearer ${t}`;
  };
  const r: ReplayResult = { burst: new Recorder(), allDay: new Recorder(), refusals: new Tally(), codesIssued: 0, visited: new Map(), schemes: [], sweeps: [], yearEndSweepMs: 0, yearEndRaised: 0, unexpected: [], dailyCodes: new Map(), burstByDay: new Map(), loaded: 0, loadedMs: 0, loadRefusedNoPlan: 0 };
  let inBurst = false;
  // The burst's figures are those of driven days: in full-scale mode the schemes drafted on an undriven day for a
  // driven day's visit go through the API too, but their latencies are not a burst's.
  let burstDay: Recorder | null = null;
  const viaApi = (v: PlannedVisit) => !ff || ff.driven.has(v.draftDay) || ff.driven.has(v.visitDay);
  // The day each agency's plan was published through the API: loaded schemes drafted before it are the ones the
  // API refuses (ROUTINE_WITHOUT_PLAN, Art. 13), so they are not loaded.
  const published = new Map<string, string>();
  const toLoad = ff ? schedule.visits.filter((v) => !viaApi(v)).sort((a, b) => a.draftDay.localeCompare(b.draftDay) || a.n - b.n) : [];
  let loadNext = 0;
  async function loadUpTo(day: string): Promise<void> {
    const batch: LoadedVisit[] = [];
    while (loadNext < toLoad.length && toLoad[loadNext]!.draftDay <= day) {
      const v = toLoad[loadNext++]!;
      const p = published.get(v.agencyCode);
      const planned = p !== undefined && p <= v.draftDay;
      batch.push({ visit: v, planned });
      if (!planned) r.loadRefusedNoPlan++;
      else r.visited.set(v.enterprise.creditCode, (r.visited.get(v.enterprise.creditCode) ?? 0) + 1);
    }
    if (!batch.length) return;
    const t0 = performance.now();
    // In slices, so that months of a full-scale year are not one transaction held in memory.
    for (let i = 0; i < batch.length; i += 20_000) r.loaded += (await ff!.load(batch.slice(i, i + 20_000))).codes;
    r.loadedMs += performance.now() - t0;
    if (batch.length > 1000) log(`${day}: ${batch.length} schemes loaded directly (${r.loaded} coded so far)`);
  }

  async function call(op: string, method: 'GET' | 'POST', url: string, as: Principal | null, payload?: unknown): Promise<{ status: number; body: any } | null> {
    const t0 = process.hrtime.bigint();
    const res = await app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}), headers: as ? { authorization: auth(as) } : {} });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (inBurst && (!ff || burstDay)) r.burst.add(op, ms);
    burstDay?.add(op, ms);
    r.allDay.add(op, ms);
    const body = res.headers['content-type']?.toString().includes('json') ? res.json() : res.body;
    if (res.statusCode >= 500 || res.statusCode === 400 || res.statusCode === 401 || res.statusCode === 403) {
      if (r.unexpected.length < 20) r.unexpected.push(`${op} ${res.statusCode}: ${res.body.slice(0, 300)}`);
      return null;
    }
    if (res.statusCode >= 400) {
      r.refusals.add(`${body?.rule ?? body?.code ?? res.statusCode}`);
      return null;
    }
    return { status: res.statusCode, body };
  }

  // The schemes of each day, and what happened to each.
  const byDraft = new Map<string, PlannedVisit[]>();
  const byVisit = new Map<string, PlannedVisit[]>();
  for (const v of schedule.visits) {
    if (!viaApi(v)) continue;
    (byDraft.get(v.draftDay) ?? byDraft.set(v.draftDay, []).get(v.draftDay)!).push(v);
    (byVisit.get(v.visitDay) ?? byVisit.set(v.visitDay, []).get(v.visitDay)!).push(v);
  }
  const issued = new Map<number, { id: string; code: string }>();
  const visitedToday: PlannedVisit[] = [];
  const pendingReferrals: { id: string; competent: string; day: number }[] = [];
  const byFiling = new Map<string, string[]>();
  for (const [agency, day] of schedule.filingDay) (byFiling.get(day) ?? byFiling.set(day, []).get(day)!).push(agency);

  for (const [dayIdx, day] of schedule.workdays.entries()) {
    // 08:30 — plans filed today: the agency drafts and submits, its justice bureau files (Art. 13–14).
    clock.set(at(day, '08:30'));
    for (const agency of byFiling.get(day) ?? []) {
      const bureau = agency.split('-').pop()!;
      const matters = (MATTER_CATALOG[bureau] ?? []).filter((m) => !m.offsiteCapable);
      const items = matters.map((m) => ({
        matterCode: m.matterCode,
        legalBasis: m.legalBasis,
        targetKind: 'class',
        targetClass: '辖区内相关行业企业',
        samplingRatio: 0.3,
        checkItems: CHECKLIST,
        method: 'onsite',
        frequency: 2,
        necessity: '按“双随机、一公开”要求抽查，风险较高的企业适当提高比例',
      }));
      const drafted = await call('plan: draft', 'POST', '/api/v1/plans', who.officer(agency), { agencyCode: agency, year: YEAR, items });
      if (!drafted) continue;
      const id = drafted.body.id as string;
      if (!(await call('plan: submit', 'POST', `/api/v1/plans/${id}/submit`, who.head(agency)))) continue;
      const district = agency.startsWith('WH-') ? undefined : agency.split('-')[0];
      if (!(await call('plan: file', 'POST', `/api/v1/plans/${id}/file`, district ? who.supervisor(`${district}-SFJ`, district) : who.supervisor('WH-SFJ')))) continue;
      if (await call('plan: publish', 'POST', `/api/v1/plans/${id}/publish`, who.head(agency))) published.set(agency, day);
    }

    // 09:00 — the burst: today's schemes drafted, approved and coded; today's visits scanned on entry.
    clock.set(at(day, '09:00'));
    // Full-scale mode: the undriven schemes drafted up to today are written before the day's API calls. Batched
    // until a day that calls the API on schemes (nothing else reads them), so the year loads in a few statements.
    const apiToday = byDraft.has(day) || byVisit.has(day) || dayIdx === schedule.workdays.length - 1;
    if (ff && apiToday) await loadUpTo(day);
    if (ff?.driven.has(day)) r.burstByDay.set(day, (burstDay = new Recorder()));
    inBurst = true;
    let codesToday = 0;
    await inParallel(byDraft.get(day) ?? [], 8, async (v) => {
      const drafted = await call('draft scheme', 'POST', '/api/v1/inspections', who.officer(v.agencyCode), {
        agencyCode: v.agencyCode,
        enterpriseCode: v.enterprise.creditCode,
        kind: 'routine',
        mode: 'onsite',
        matterCodes: [v.matterCode],
        windowStart: at(v.visitDay, '09:00'),
        windowEnd: at(v.visitDay, '17:00'),
        inspectors: TEAM(v.agencyCode),
        checklist: CHECKLIST,
        // A city bureau inspecting where a district counterpart holds the matter records its Art. 11 ¶2 ground.
        ...(v.agencyCode.startsWith('WH-') ? { escalationGround: 'major_or_cross_region' } : {}),
      });
      if (!drafted) return;
      const id = drafted.body.inspection.id as string;
      if (!(await call('approve', 'POST', `/api/v1/inspections/${id}/approve`, who.head(v.agencyCode), {}))) return;
      const coded = await call('issue code', 'POST', `/api/v1/inspections/${id}/code`, who.officer(v.agencyCode));
      if (!coded) return;
      issued.set(v.n, { id, code: coded.body.code });
      r.codesIssued++;
      codesToday++;
      r.schemes.push({ inspectionId: id, agencyCode: v.agencyCode, enterpriseCode: v.enterprise.creditCode, matterCodes: [v.matterCode], visitDate: v.visitDay });
    });
    r.dailyCodes.set(day, codesToday);
    clock.set(at(day, '09:05'));
    visitedToday.length = 0;
    const visitsToday = (byVisit.get(day) ?? []).filter((v) => issued.has(v.n));
    if (ff && !ff.driven.has(day)) {
      await ff.finish(visitsToday.map((v) => ({ visit: v, inspectionId: issued.get(v.n)!.id, code: issued.get(v.n)!.code })));
      for (const v of visitsToday) r.visited.set(v.enterprise.creditCode, (r.visited.get(v.enterprise.creditCode) ?? 0) + 1);
      visitsToday.length = 0;
    }
    await inParallel(visitsToday, 8, async (v) => {
      const { code } = issued.get(v.n)!;
      await call('public check', 'GET', `/api/v1/codes/${code}`, null);
      const scanned = await call('scan on entry', 'POST', `/api/v1/codes/${code}/scan`, who.enterprise(v.enterprise.creditCode), {});
      if (!scanned) return;
      visitedToday.push(v);
      r.visited.set(v.enterprise.creditCode, (r.visited.get(v.enterprise.creditCode) ?? 0) + 1);
    });
    inBurst = false;
    burstDay = null;

    // 10:30 — findings, the result told on site, the inspection closed (Art. 18–20).
    clock.set(at(day, '10:30'));
    for (const v of visitedToday) {
      const { id } = issued.get(v.n)!;
      const violation = v.outcome === 'rectification';
      const due = schedule.workdays[Math.min(schedule.workdays.length - 1, dayIdx + 10)]!;
      const found = await call('record findings', 'POST', `/api/v1/inspections/${id}/findings`, who.officer(v.agencyCode), {
        methods: ['documents', 'site_survey'],
        items: CHECKLIST.map((item, i) => ({ item, result: violation && i === 1 ? 'violation' : 'compliant' })),
        outcome: violation ? { kind: 'rectification', noticeNo: `责改〔${YEAR}〕${v.n}号`, dueDate: due } : { kind: 'no_violation' },
      });
      if (!found || !v.notifyOnTime) continue;
      if (await call('notify result', 'POST', `/api/v1/inspections/${id}/notify-result`, who.officer(v.agencyCode), { method: 'on_site' })) {
        if (!violation && (await call('close', 'POST', `/api/v1/inspections/${id}/close`, who.officer(v.agencyCode), {}))) {
          await call('archive', 'POST', `/api/v1/inspections/${id}/archive`, who.officer(v.agencyCode), { archiveRef: `档〔${YEAR}〕${v.n}号` });
        }
      }
    }

    // 14:00 — referrals out of the day's visits (Art. 23), and the competent agencies accept earlier ones.
    clock.set(at(day, '14:00'));
    for (const v of visitedToday.filter((x) => x.referral)) {
      const others = v.enterprise.industry.matters.map(bureauOf).filter((b) => b !== bureauOf(v.matterCode) && matterInfo.has(`${b}-001`));
      const competent = others.length ? (v.agencyCode.startsWith('WH-') ? `WH-${others[0]}` : `${v.agencyCode.split('-')[0]}-${others[0]}`) : null;
      if (!competent) continue;
      const made = await call('referral: create', 'POST', '/api/v1/referrals', who.officer(v.agencyCode), {
        competentAgencyCode: competent,
        enterpriseCode: v.enterprise.creditCode,
        description: '检查中发现不属于本机关管辖的涉嫌违法行为，依法移送有管辖权的机关处理',
        evidence: [{ kind: 'photo', ref: `IMG-${YEAR}-${v.n}`, description: '现场照片' }],
      });
      if (!made) continue;
      const id = made.body.id as string;
      if (await call('referral: send', 'POST', `/api/v1/referrals/${id}/send`, who.officer(v.agencyCode), {})) pendingReferrals.push({ id, competent, day: dayIdx });
    }
    while (pendingReferrals.length && pendingReferrals[0]!.day <= dayIdx - 2) {
      const p = pendingReferrals.shift()!;
      if (p.id.charCodeAt(p.id.length - 1) % 10 === 0) continue; // one in ten left unanswered: the sweeper's to find
      if (await call('referral: receive', 'POST', `/api/v1/referrals/${p.id}/receive`, who.officer(p.competent), {})) await call('referral: accept', 'POST', `/api/v1/referrals/${p.id}/accept`, who.officer(p.competent), {});
    }

    // 15:00 — enterprises report visits (Art. 34: the code they were shown).
    clock.set(at(day, '15:00'));
    for (const v of visitedToday.filter((x) => x.report)) {
      await call('enterprise report', 'POST', '/api/v1/enterprise-reports', who.enterprise(v.enterprise.creditCode), {
        visitedAt: at(day, '09:30'),
        agencyCode: v.agencyCode,
        description: '检查人员出示检查码后进入现场检查，本企业如实反映检查经过',
        codeShown: issued.get(v.n)!.code,
      });
    }

    // Friday night (or the last working day of a week): the sweeper's pass. In full-scale mode only the year-end one:
    // the weekly passes would read loaded weeks whose flags the year-end pass raises anyway.
    const next = schedule.workdays[dayIdx + 1];
    if ((!next || Date.parse(next) - Date.parse(day) > 86_400_000) && (!ff || !next)) {
      clock.set(at(day, '23:00'));
      const t0 = process.hrtime.bigint();
      const report = await runSweep(db, clock);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const raised = report.reduce((s, j) => s + j.count, 0);
      if (next) r.sweeps.push({ day, ms, raised });
      else {
        r.yearEndSweepMs = ms;
        r.yearEndRaised = raised;
      }
      for (const j of report) if (j.error && r.unexpected.length < 20) r.unexpected.push(`sweep ${j.job}: ${j.error}`);
    }
    if (dayIdx % 20 === 0) log(`${day}: ${r.codesIssued} codes issued so far`);
  }
  return r;
}
