import { randomUUID } from 'node:crypto';
import { appendAudit } from '../src/audit/append.js';
import type { Principal } from '../src/auth/principal.js';
import { newCodeId } from '../src/codes/code-id.js';
import type { CodeFacts } from '../src/codes/facts.js';
import { codeScans, inspectionCodes, inspections, type Inspector } from '../src/db/schema/index.js';
import { DomainError } from '../src/errors/domain-error.js';
import type { FindingsInput } from '../src/visits/commands/findings.js';
import { openReferralsFromFindings } from '../src/referrals/open.js';
import { reviewFlag } from '../src/supervision/flag-review.js';
import { addDays, shanghaiDate, shanghaiYear } from '../src/time/shanghai-date.js';
import type { DemoContext } from './demo-context.js';

/**
 * The demo year's inspections (Art. 17–20), each written as its commands would have left it — the row,
 * its signed code, scans and audit entries — with the flags the detectors raise on findings
 * (CODE_NOT_SCANNED, COST_SHIFTED) and a referral opened from findings (Art. 23) that was never sent.
 * One visit is under way now, so its check page says 有效.
 */
export const TEAMS: Record<string, Inspector[]> = {
  SCJG: [{ name: '王晓明', certificateNo: '42010020230001' }, { name: '陈丽华', certificateNo: '42010020230002' }],
  YJGL: [{ name: '刘建国', certificateNo: '42010020230101' }, { name: '张敏', certificateNo: '42010020230102' }],
  STHJ: [{ name: '周文', certificateNo: '42010020230201' }, { name: '李静', certificateNo: '42010020230202' }],
};
export const CHECKLISTS: Record<string, string[]> = {
  'SCJG-001': ['食品生产许可证', '进货查验记录', '从业人员健康证明'],
  'SCJG-002': ['特种设备使用登记', '定期检验报告', '作业人员持证情况'],
  'SCJG-003': ['产品执行标准', '出厂检验记录', '抽样检验'],
  'YJGL-001': ['安全生产责任制', '隐患排查治理台账', '应急演练记录'],
  'STHJ-001': ['排污许可证载明事项', '自动监测数据', '执行报告'],
  'CGZF-001': ['门前责任区保洁', '占道经营'],
  'WSJK-001': ['卫生许可证', '从业人员健康检查'],
  'WSJK-002': ['职业病危害因素检测', '职业健康检查'],
};

type Step = 'started' | 'code' | 'scan' | 'findings' | 'notified' | 'closed' | 'archived';
const STATE_AFTER: Record<Step, string> = { started: 'in_progress', code: 'code_issued', scan: 'in_progress', findings: 'findings_recorded', notified: 'result_notified', closed: 'closed', archived: 'archived' };

interface DemoInspection {
  agency: string;
  matter: string;
  kind?: 'routine' | 'case';
  mode?: 'onsite' | 'offsite';
  /** Days before `at` the visit happened; null = under way now. */
  daysAgo: number | null;
  steps: Step[];
  findings?: FindingsInput;
  district?: string;
  leadKind?: string;
}

const compliant = (item: string): FindingsInput => ({ methods: ['documents', 'site_survey'], items: [{ item, result: 'compliant' }], outcome: { kind: 'no_violation' } });

/** Returns the inspection ids in the order of the visits above. */
export async function seedDemoInspections(c: DemoContext, planIds: Map<string, string>): Promise<string[]> {
  const { tx, at, year, dayAt, hours, keyring, counts, flag, scopeAt, enterpriseIn } = c;
  const visits: DemoInspection[] = [
    { agency: 'WH-SCJG', matter: 'SCJG-001', daysAgo: 40, steps: ['code', 'scan', 'findings', 'notified', 'closed', 'archived'], findings: compliant('食品生产许可证') },
    {
      agency: 'WH-SCJG',
      matter: 'SCJG-002',
      daysAgo: 33,
      steps: ['code', 'scan', 'findings', 'notified', 'closed'],
      findings: {
        methods: ['site_survey', 'documents'],
        items: [{ item: '特种设备使用登记', result: 'compliant' }, { item: '定期检验报告', result: 'violation', note: '一台叉车定期检验已过期' }],
        outcome: { kind: 'rectification', noticeNo: '武市监特责改〔示范〕1号', dueDate: addDays(shanghaiDate(dayAt(33)), 15) },
        // Outside the bureau's jurisdiction: opened as a referral to the fire brigade and, in the demo, never sent (overdue).
        outOfJurisdiction: [{ description: '仓库消防通道被货物堵塞', competentAgencyCode: 'WH-XFJY' }],
      },
    },
    { agency: '420106-SCJG', district: '420106', matter: 'SCJG-001', daysAgo: 26, steps: ['code', 'scan', 'findings', 'notified'], findings: compliant('进货查验记录') },
    { agency: '420102-SCJG', district: '420102', matter: 'SCJG-001', daysAgo: 20, steps: ['code', 'findings'], findings: compliant('从业人员健康证明') },
    {
      agency: 'WH-SCJG',
      matter: 'SCJG-003',
      daysAgo: 15,
      steps: ['code', 'scan', 'findings', 'notified'],
      findings: { methods: ['sampling'], items: [{ item: '抽样检验', result: 'compliant' }], outcome: { kind: 'no_violation' }, sampling: { samples: 3, costBorneBy: 'enterprise', amountYuan: 1800 } },
    },
    { agency: '420106-YJGL', district: '420106', matter: 'YJGL-001', daysAgo: 10, steps: ['code', 'scan', 'findings'], findings: compliant('隐患排查治理台账') },
    { agency: 'WH-STHJ', matter: 'STHJ-001', mode: 'offsite', daysAgo: 8, steps: ['findings'], findings: { methods: ['documents'], items: [{ item: '自动监测数据', result: 'compliant' }], outcome: { kind: 'no_violation' } } },
    { agency: '420106-SCJG', district: '420106', matter: 'SCJG-001', kind: 'case', leadKind: 'complaint', daysAgo: 6, steps: ['started'] },
    { agency: '420105-SCJG', district: '420105', matter: 'SCJG-001', daysAgo: 3, steps: ['code', 'scan', 'findings', 'notified'], findings: compliant('食品生产许可证') },
    { agency: 'WH-SCJG', matter: 'SCJG-002', daysAgo: null, steps: ['code'] },
  ];
  const ids: string[] = [];
  for (const v of visits) {
    const key = v.agency.split('-')[1]!;
    const officer: Principal = { sub: `officer:${v.agency}`, role: 'officer', agency: v.agency };
    const start = v.daysAgo === null ? new Date(at.getTime() - 3600_000) : dayAt(v.daysAgo);
    const end = new Date(start.getTime() + 8 * 3600_000);
    const enterprise = enterpriseIn(v.district);
    const id = randomUUID();
    const kind = v.kind ?? 'routine';
    const mode = v.mode ?? 'onsite';
    const state = STATE_AFTER[v.steps.at(-1)!];
    const times = { drafted: new Date(start.getTime() - 3 * 86400_000), approved: new Date(start.getTime() - 2 * 86400_000), code: new Date(start.getTime() - 86400_000), scan: hours(start, 0.2), findings: hours(start, 2), notified: hours(start, 4), closed: hours(start, 26), archived: hours(start, 72) };
    const findings = v.findings;
    await tx.insert(inspections).values({
      id,
      agencyCode: v.agency,
      enterpriseCode: enterprise.creditCode,
      kind,
      mode,
      state,
      matterCodes: [v.matter],
      planId: kind === 'routine' ? (planIds.get(v.agency) ?? null) : null,
      leadKind: v.leadKind ?? null,
      leadRef: v.leadKind ? '12345热线工单（示范）' : null,
      windowStart: start,
      windowEnd: end,
      countedDate: shanghaiDate(start),
      countsTowardCap: kind !== 'case',
      inspectors: TEAMS[key] ?? TEAMS.SCJG!,
      checklist: CHECKLISTS[v.matter] ?? ['检查项目'],
      entityScope: 'in_scope',
      approvedBy: mode === 'onsite' ? `head:${v.agency}` : null,
      approvedAt: mode === 'onsite' ? times.approved : null,
      findings: findings ?? null,
      findingsAt: findings ? times.findings : null,
      outcome: findings?.outcome ?? null,
      resultNotifiedAt: v.steps.includes('notified') ? times.notified : null,
      followUpDue: findings?.outcome.kind === 'rectification' ? findings.outcome.dueDate! : null,
      closedAt: v.steps.includes('closed') ? times.closed : null,
      archivedAt: v.steps.includes('archived') ? times.archived : null,
      createdBy: officer.sub,
      createdAt: times.drafted,
      updatedAt: at,
    });
    ids.push(id);
    counts.inspections++;
    const audit = (when: Date, action: string, before: string | null, after: string | null, payload: unknown = {}) =>
      appendAudit(tx, { at: when, actor: action === 'inspection.approved' ? `head:${v.agency}` : officer.sub, role: action === 'inspection.approved' ? 'agency_head' : 'officer', action, subjectType: 'inspection', subjectId: id, agencyCode: v.agency, enterpriseCode: enterprise.creditCode, districtCode: v.district ?? null, before, after, payload });
    await audit(times.drafted, 'inspection.drafted', null, 'draft', { matterCodes: [v.matter], kind, mode });
    if (mode === 'onsite') await audit(times.approved, 'inspection.approved', 'draft', 'approved');
    if (v.steps.includes('started')) await audit(start, 'inspection.started', 'approved', 'in_progress');

    let code: string | null = null;
    if (v.steps.includes('code')) {
      code = newCodeId(shanghaiYear(start));
      const facts: CodeFacts = { code, inspectionId: id, agencies: [v.agency], enterprise: enterprise.creditCode, matters: [v.matter], kind, validFrom: start.toISOString(), validTo: end.toISOString(), inspectorCount: 2 };
      const signed = keyring.sign(facts);
      await tx.insert(inspectionCodes).values({ code, inspectionId: id, kid: signed.kid, signature: signed.signature, facts, validFrom: start, validTo: end, state: v.steps.includes('closed') ? 'closed' : 'active', issuedBy: officer.sub, issuedAt: times.code });
      await audit(times.code, 'inspection.code_issued', 'approved', 'code_issued', { code, kid: signed.kid, signature: signed.signature });
    }
    if (code && v.steps.includes('scan')) {
      const scanId = randomUUID();
      await tx.insert(codeScans).values({ id: scanId, code, scannedAt: times.scan, byRole: 'officer', bySub: officer.sub, atEnterprise: enterprise.creditCode, location: null, accepted: true });
      await audit(times.scan, 'code.scanned', 'code_issued', 'in_progress', { code, scanId });
    }
    if (findings) {
      const before = mode === 'offsite' ? 'draft' : v.steps.includes('scan') ? 'in_progress' : 'code_issued';
      await audit(times.findings, 'inspection.findings_recorded', before, 'findings_recorded', findings);
      const flagBase = { subjectType: 'inspection', subjectId: id, agencyCode: v.agency, enterpriseCode: enterprise.creditCode, districtCode: v.district ?? null };
      if (mode === 'onsite' && !v.steps.includes('scan')) {
        await flag(times.findings, officer, { ...flagBase, rule: 'CODE_NOT_SCANNED', observed: 'no accepted scan', limit: 'scan on entry', detail: '记录检查情况前未出示检查码并扫码' });
      }
      if (findings.sampling?.costBorneBy === 'enterprise') {
        const flagId = await flag(times.findings, officer, { ...flagBase, rule: 'COST_SHIFTED', observed: findings.sampling, limit: 'paid by the agency', detail: `抽样检验费用记为由企业承担（${findings.sampling.amountYuan}元），应由行政执法主体支付` });
        // The city bureau has looked at this one already.
        const supervisor: Principal = { sub: 'supervisor:WH-SFJ', role: 'supervisor', agency: 'WH-SFJ' };
        if (flagId) await reviewFlag(tx, scopeAt(hours(times.findings, 20), supervisor), supervisor, flagId, { type: 'ACKNOWLEDGE' }, '已转市市场监管局核查');
      }
    }
    if (findings?.outOfJurisdiction?.length) {
      const inspection = { id, agencyCode: v.agency, enterpriseCode: enterprise.creditCode, windowStart: start, countedDate: shanghaiDate(start) };
      try {
        counts.referrals += (await openReferralsFromFindings(tx, scopeAt(times.findings, officer), officer, inspection, findings.outOfJurisdiction)).length;
      } catch (err) {
        // A year whose official holidays are not bundled yet has no 10-working-day due date: no demo referral.
        if (!(err instanceof DomainError && err.code === 'CALENDAR_YEAR_UNPUBLISHED')) throw err;
      }
    }
    if (v.steps.includes('notified')) await audit(times.notified, 'inspection.result_notified', 'findings_recorded', 'result_notified', { method: 'on_site' });
    if (v.steps.includes('closed')) await audit(times.closed, 'inspection.closed', 'result_notified', 'closed');
    if (v.steps.includes('archived')) await audit(times.archived, 'inspection.archived', 'closed', 'archived', { archiveRef: `档〔${year}〕示范1号` });
  }

  return ids;
}
