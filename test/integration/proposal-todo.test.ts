import { afterAll, beforeAll, expect, it } from 'vitest';
import { as } from '../support/factories.js';
import type { JointWorld } from '../support/joint-world.js';
import { FIRE_OFFICERS, MARKET_OFFICERS, proposalFor, proposalWorld } from '../support/proposal-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * Issue 26: a proposed joint visit waits in each unit's 待办 until the unit answers (第二十八条), the
 * reasons a cooperating unit may decline with are offered by the labels, and supervisors list a unit's
 * proposals.
 */
describeDb('第二十八条 联合检查建议进入各单位的待办', () => {
  let t: TestApp;
  let w: JointWorld;
  type Todo = { total: number; lists: { key: string; title: string; count: number; entries: { text: string; due?: string; href: string }[] }[] };
  const todo = async (who: ReturnType<typeof as.head>) => (await t.call({ method: 'GET', url: '/api/v1/me/todo', as: who })).json() as Todo;
  const proposals = (l: Todo) => l.lists.find((x) => x.key === 'proposals')!;

  beforeAll(async () => {
    t = await createTestApp();
    w = await proposalWorld(t);
  });
  afterAll(async () => t?.close());

  it('lists both open proposals for each unit’s head and officers, by enterprise name, due by the respond-by date', async () => {
    const head = proposals(await todo(as.head(w.fire.code)));
    expect(head).toMatchObject({ title: '待答复的联合检查建议（第二十八条）', count: 2 });
    expect(head.entries.map((e) => e.text).join('')).toContain(w.enterprise.name);
    expect(head.entries.every((e) => e.href.startsWith('#/proposals/') && /^\d{4}-\d{2}-\d{2}$/.test(e.due ?? ''))).toBe(true);
    expect(proposals(await todo(as.officer(w.market.code)))).toMatchObject({ title: '待本单位负责人答复的联合检查建议', count: 2 });
    expect(proposals(await todo(as.head(w.health.code))).count).toBe(0);
  });

  it('drops a proposal from a unit’s list once the unit has answered, and from every list once it is launched', async () => {
    const p = await proposalFor(t, w, w.enterprise.creditCode);
    expect((await t.call({ method: 'POST', url: `/api/v1/proposals/${p.id}/accept`, as: as.head(w.fire.code), payload: { inspectors: FIRE_OFFICERS } })).statusCode).toBe(200);
    expect(proposals(await todo(as.head(w.fire.code))).count).toBe(1);
    expect(proposals(await todo(as.head(w.market.code))).count).toBe(2);
    expect((await t.call({ method: 'POST', url: `/api/v1/proposals/${p.id}/accept`, as: as.head(w.market.code), payload: { inspectors: MARKET_OFFICERS } })).json().state).toBe('launched');
    expect(proposals(await todo(as.head(w.market.code))).count).toBe(1);
  });

  it('offers the listed decline reasons in Chinese with the labels', async () => {
    const labels = (await t.call({ method: 'GET', url: '/api/v1/labels' })).json();
    expect(labels.proposalDeclineReasons.inspected_already).toContain('已对该企业实施检查');
  });

  it('lets a supervisor list one unit’s proposals; an agency’s people see only their own unit’s', async () => {
    const byUnit = (await t.call({ method: 'GET', url: `/api/v1/proposals?agency=${w.fire.code}`, as: w.supervisor })).json().items;
    expect(byUnit).toHaveLength(2);
    expect((await t.call({ method: 'GET', url: `/api/v1/proposals?agency=${w.health.code}`, as: w.supervisor })).json().items).toHaveLength(0);
    expect((await t.call({ method: 'GET', url: `/api/v1/proposals?agency=${w.fire.code}`, as: as.head(w.health.code) })).json().items).toHaveLength(0);
  });
});
