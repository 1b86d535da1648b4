import { afterAll, beforeAll, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { auditEntries, inspections } from '../../src/db/schema/index.js';
import { as } from '../support/factories.js';
import { draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * The pre-check (预检) the officers' app runs while a scheme is being filled in: every draft guard's
 * result with its article, and nothing written.
 */
describeDb('第十七条第（一）项 检查前预检：方案未提交时即显示每项规则的结果，不写入任何记录', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t);
  });
  afterAll(() => t.close());

  const counts = async () => {
    const [i] = await t.db.select({ n: count() }).from(inspections);
    const [a] = await t.db.select({ n: count() }).from(auditEntries);
    return { inspections: i!.n, audit: a!.n };
  };
  const preCheck = (over: Record<string, unknown>, by = w.officer) => t.call({ method: 'POST', url: '/api/v1/inspections/pre-check', as: by, payload: draftBody(w, over) });

  it('answers every rule with its article, observed value and limit, and writes nothing', async () => {
    const before = await counts();
    const res = await preCheck({ inspectors: [{ name: '王晓明', certificateNo: '42010620230001' }] });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.passed).toBe(false);
    expect(body.checks).toContainEqual(expect.objectContaining({ rule: 'TEAM_TOO_SMALL', article: '第十八条第（一）项', observed: 1, limit: 2, passed: false }));
    expect(body.checks).toContainEqual(expect.objectContaining({ rule: 'MATTER_UNPUBLISHED', article: '第七条', passed: true }));
    expect(await counts()).toEqual(before);
  });

  it('passes a complete scheme: the same guards drafting runs', async () => {
    const res = await preCheck({});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ passed: true, underOrder: true });
    const drafted = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w) });
    const draftChecks = (drafted.json().checks as { rule: string; passed: boolean }[]).map((c) => [c.rule, c.passed]);
    expect(res.json().checks.map((c: { rule: string; passed: boolean }) => [c.rule, c.passed])).toEqual(draftChecks);
  });

  it('shows a case inspection without a lead as a failed rule (第九条、第十三条) rather than refusing the form', async () => {
    const res = await preCheck({ kind: 'case' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().checks).toContainEqual(expect.objectContaining({ rule: 'CASE_WITHOUT_LEAD', passed: false }));
  });

  it('answers bad input with a 400 naming the field, and another agency’s scheme with a refusal', async () => {
    const bad = await preCheck({ windowEnd: '2026-04-08T08:00:00+08:00' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('windowEnd');
    const other = await preCheck({}, as.officer('SOME-OTHER-AGENCY'));
    expect(other.statusCode).toBe(403);
  });
});
