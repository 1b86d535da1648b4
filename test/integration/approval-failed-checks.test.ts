import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../src/db/schema/index.js';
import { draftBody, newInspectionWorld, TEAM, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

type Check = { rule: string; article: string; passed: boolean };

/**
 * Issue 24: the head approves the scheme (Art. 17(1)), and this platform asks that a scheme failing some
 * rule be approved knowingly — only on the officer's stated reason, with every failed rule shown in the
 * refusal and kept on the approval's audit entry. The requirement is the platform's, not the Order's words.
 */
describeDb('第十七条第（一）项 负责人批准检查方案：预检未通过须说明理由（本平台要求）', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 5 });
  });
  afterAll(async () => t?.close());

  /** One inspector (Art. 18(1)) and an off-site-capable matter inspected on site without a reason (Art. 32). */
  const failing = (over: Record<string, unknown> = {}) => draftBody(w, { inspectors: [TEAM[0]], matterCodes: [w.matter, w.offsiteMatter], ...over });
  const draft = async (body: Record<string, unknown>) => {
    const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: body });
    expect(res.statusCode).toBe(201);
    return res.json().inspection.id as string;
  };
  const approve = (id: string) => t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: w.head, payload: {} });
  const approvals = (id: string) => t.db.select().from(auditEntries).where(and(eq(auditEntries.subjectId, id), eq(auditEntries.action, 'inspection.approved')));
  const failedNow = async (id: string) => ((await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/checks`, as: w.head })).json().checks as Check[]).filter((c) => !c.passed);

  it('refuses to approve a failing scheme without the officer’s reason, naming every failed rule and its article', async () => {
    const id = await draft(failing());
    const failed = await failedNow(id);
    expect(failed.map((c) => c.rule)).toEqual(expect.arrayContaining(['TEAM_TOO_SMALL', 'ONSITE_WHEN_OFFSITE_SUFFICES']));

    const res = await approve(id);
    expect(res.statusCode).toBe(422);
    const problem = res.json();
    expect(problem.code).toBe('FAILED_CHECKS_UNEXPLAINED');
    // The head sees every rule that fails now, as the checks the approval screen reads.
    expect(problem.violations.map((v: Check) => [v.rule, v.article])).toEqual(failed.map((c) => [c.rule, c.article]));
    expect(problem.violations.find((v: Check) => v.rule === 'TEAM_TOO_SMALL').article).toBe('第十八条第（一）项');
    expect(problem.detail).toContain('第十八条第（一）项');
    expect(problem.detail).toContain('第三十二条');
    expect(problem.detail).toContain('本平台要求');

    const detail = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.head })).json();
    expect(detail.inspection.state).toBe('draft');
    expect(await approvals(id)).toHaveLength(0);
  });

  it('approves it once the officer states why, and the approval’s audit entry carries the failed rules and the reason', async () => {
    const id = await draft(failing());
    const reason = '第二名执法人员在途，到场后补录；现场核查仓储条件，非现场方式不能达到目的';
    const patched = await t.call({ method: 'PATCH', url: `/api/v1/inspections/${id}`, as: w.officer, payload: { failedChecksReason: reason } });
    expect(patched.statusCode).toBe(200);
    const failed = await failedNow(id);

    const res = await approve(id);
    expect(res.statusCode).toBe(200);
    expect(res.json().state).toBe('approved');
    const [entry] = await approvals(id);
    expect(entry?.payload).toMatchObject({
      failedChecksReason: reason,
      failedChecks: failed.map((c) => expect.objectContaining({ rule: c.rule, article: c.article })),
    });
  });

  it('approves a scheme drafted with its reason at once', async () => {
    const id = await draft(failing({ failedChecksReason: '第二名执法人员在途，到场后补录' }));
    expect((await approve(id)).statusCode).toBe(200);
  });

  it('needs no reason for a scheme with no failed check, and records no failed rule', async () => {
    const id = await draft(draftBody(w));
    expect(await failedNow(id)).toEqual([]);
    const res = await approve(id);
    expect(res.statusCode).toBe(200);
    const [entry] = await approvals(id);
    expect(entry?.payload).not.toHaveProperty('failedChecks');
    expect(entry?.payload).not.toHaveProperty('failedChecksReason');
  });
});
