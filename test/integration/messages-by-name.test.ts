import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, newAgency } from '../support/factories.js';
import { JOINT_WINDOW, launchedTask, listBody, newJointWorld, officers, publishedJointList, restaurantEntry, type JointWorld } from '../support/joint-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * Issue 11: a zh-CN message names an agency as Chinese administrative text does — by its name; the code
 * travels in the fields. Each refusal below used to read "单位 <code> …" or "（<code>）".
 */
describeDb('第十一号问题 提示中的行政执法主体以名称表述（第十三条、第二十七条至第二十九条）', () => {
  let t: TestApp;
  let w: JointWorld;
  let listId: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newJointWorld(t);
    listId = await publishedJointList(t, w);
  });
  afterAll(() => t.close());

  it('第二十九条 a task launched by a cooperating unit names the lead unit by name', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/joint-tasks',
      as: as.head(w.fire.code),
      payload: { listId, entryCode: 'CY-01', enterpriseCodes: [w.enterprise.creditCode], ...JOINT_WINDOW, inspectors: officers('消防') },
    });
    expect(res.json().code).toBe('OUT_OF_SCOPE');
    expect(res.json().detail).toContain(`（${w.market.name}）`);
    expect(res.json().detail).not.toContain(w.market.code);
  });

  it('第二十八条 a unit refused a step is named by name in the refusal', async () => {
    const id = await launchedTask(t, w, listId);
    const res = await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/approve`, as: as.head(w.fire.code), payload: {} });
    expect(res.json().code).toBe('INVALID_TRANSITION');
    expect(res.json().detail).toContain(`${w.fire.name}的任务分工`);
    expect(res.json().detail).not.toContain(w.fire.code);
  });

  it('第二十七条 a unit listed twice in an entry is named by name in the field message', async () => {
    const entry = restaurantEntry(w);
    const body = { ...listBody(w), entries: [{ ...entry, units: [...entry.units, { agencyCode: w.fire.code, role: 'cooperating', matterCodes: [w.matters.fire] }] }] };
    const res = await t.call({ method: 'POST', url: '/api/v1/joint-lists', as: as.head(w.market.code), payload: body });
    expect(res.statusCode).toBe(400);
    const duplicate = res.json().errors.find((e: { field: string }) => e.field === 'body.entries[0].units[3].agencyCode');
    expect(duplicate.message).toBe(`${w.fire.name}重复列出`);
  });

  it('第十三条 an officer drafting another agency’s plan is told that agency’s name', async () => {
    const own = await newAgency(t.db, { name: '测试区城市管理执法局' });
    const res = await t.call({ method: 'POST', url: '/api/v1/plans', as: as.officer(own.code), payload: { agencyCode: w.health.code, year: 2032, items: [] } });
    expect(res.json().code).toBe('OUT_OF_SCOPE');
    expect(res.json().detail).toBe(`只能办理本单位的检查计划，不能办理${w.health.name}的检查计划`);
  });
});
