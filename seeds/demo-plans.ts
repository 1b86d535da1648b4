import { randomUUID } from 'node:crypto';
import { planItems, plans, planVersions } from '../src/db/schema/index.js';
import { shanghaiDate } from '../src/time/shanghai-date.js';
import { CHECKLISTS } from './demo-inspections.js';
import type { DemoContext } from './demo-context.js';

/**
 * The demo year's annual plans (Art. 13–14): filed on time, one submitted late (flagged PLAN_FILING_DEADLINE
 * against the agency, as submitting it late would), and some submitted and awaiting the bureau's filing. Returns the plan ids by
 * agency, for the routine inspections to cite.
 */
export async function seedDemoPlans(c: DemoContext): Promise<Map<string, string>> {
  const { tx, at, year, dayAt, counts, flag } = c;
  const planIds = new Map<string, string>();
  const bureauOf = (agency: string) => (agency.startsWith('WH-') ? 'WH-SFJ' : `${agency.split('-')[0]}-SFJ`);
  const addPlan = async (agency: string, matters: string[], state: 'filed' | 'submitted', filedOn?: Date, late = false) => {
    const id = randomUUID();
    // Art. 13: lateness is the agency's submission; the late plan was submitted on 2 April, the others in time.
    // Those awaiting the bureau were submitted in time (28 March): the bureau's queue, not a late agency.
    const inTime = new Date(`${year}-03-28T10:00:00+08:00`);
    const submittedAt = filedOn ? new Date(filedOn.getTime() - (late ? 1 : 5) * 86400_000) : inTime < at ? inTime : dayAt(6);
    await tx.insert(plans).values({
      id,
      agencyCode: agency,
      year,
      state,
      deadline: `${year}-03-31`,
      filingBureauCode: bureauOf(agency),
      upperAuthorityCode: agency.startsWith('WH-') ? null : `WH-${agency.split('-')[1]}`,
      submittedAt,
      submittedOn: shanghaiDate(submittedAt),
      submittedLate: shanghaiDate(submittedAt) > `${year}-03-31`,
      filedAt: state === 'filed' ? filedOn! : null,
      filedBy: state === 'filed' ? `supervisor:${bureauOf(agency)}` : null,
      filedLate: state === 'filed' && shanghaiDate(filedOn!) > `${year}-03-31`,
      createdAt: new Date(submittedAt.getTime() - 86400_000),
      updatedAt: filedOn ?? submittedAt,
    });
    const items = await tx.insert(planItems).values(
      matters.map((matterCode) => ({
        id: randomUUID(),
        planId: id,
        matterCode,
        legalBasis: '见检查事项清单所列依据',
        targetKind: 'class' as const,
        targetClass: '辖区内相关行业企业',
        samplingRatio: 0.05,
        checkItems: CHECKLISTS[matterCode] ?? ['检查项目'],
        method: 'onsite' as const,
        frequency: 1,
        necessity: '按“双随机、一公开”要求抽查，风险较高的行业适当提高比例',
      })),
    ).returning();
    if (state === 'filed') {
      // The version in force (Art. 14 ¶2), as filePlan keeps it.
      await tx.insert(planVersions).values({ id: randomUUID(), planId: id, revision: 1, filedAt: filedOn!, filedBy: `supervisor:${bureauOf(agency)}`, items: items.map(({ planId: _p, ...i }) => i) });
    }
    planIds.set(agency, id);
    counts.plans++;
    return id;
  };
  const march10 = new Date(`${year}-03-10T09:00:00+08:00`);
  const onTime = march10 < at ? march10 : dayAt(1);
  for (const [agency, matters] of [
    ['WH-SCJG', ['SCJG-001', 'SCJG-002', 'SCJG-003']],
    ['WH-STHJ', ['STHJ-001']],
    ['420106-SCJG', ['SCJG-001', 'SCJG-003']],
    ['420102-SCJG', ['SCJG-001']],
    ['420105-SCJG', ['SCJG-001']],
    ['420106-YJGL', ['YJGL-001']],
  ] as const) {
    await addPlan(agency, [...matters], 'filed', onTime);
  }
  const lateOn = new Date(`${year}-04-03T10:00:00+08:00`);
  if (lateOn < at) {
    const id = await addPlan('WH-YJGL', ['YJGL-001'], 'filed', lateOn, true);
    await flag(lateOn, { sub: 'supervisor:WH-SFJ', role: 'supervisor' }, {
      rule: 'PLAN_FILING_DEADLINE',
      subjectType: 'agency',
      subjectId: 'WH-YJGL',
      occurrence: String(year),
      agencyCode: 'WH-YJGL',
      observed: shanghaiDate(new Date(lateOn.getTime() - 86400_000)),
      limit: `${year}-03-31`,
      detail: `武汉市应急管理局${year}年度日常检查计划于${shanghaiDate(new Date(lateOn.getTime() - 86400_000))}报送备案，晚于第十三条规定的${year}-03-31`,
      evidence: { planId: id },
    });
  } else {
    await addPlan('WH-YJGL', ['YJGL-001'], 'submitted');
  }
  await addPlan('WH-CGZF', ['CGZF-001'], 'submitted');
  await addPlan('WH-WSJK', ['WSJK-001', 'WSJK-002'], 'submitted');
  await addPlan('420106-CGZF', ['CGZF-001'], 'submitted');

  return planIds;
}
