import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import type { Principal } from '../../src/auth/principal.js';
import { as } from '../support/factories.js';
import type { JointWorld } from '../support/joint-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, openBrowser, seeText, serve } from './browser-support.js';
import { axeViolations, layoutProblems } from './axe-check.js';
import { closeOfficerPhone } from './officer-phone.js';
import { proposalFor as proposalOf, proposalWorld } from '../support/proposal-world.js';

/**
 * Issue 26 on a 390 px phone: a proposed joint visit (第二十六条) found from two units' filed plans reaches each
 * head's 待办; the cooperating unit's head accepts naming officers picked from the unit's certified officers
 * (第二十八条), the lead's head accepts and launches, and the page links to the one joint visit with one code.
 * A second proposal is declined with a listed reason, which the form asks for beside its field.
 */
describeBrowser('第二十六条至第二十八条 联合检查建议：从待办到已发起的联合检查', () => {
  let t: TestApp;
  let w: JointWorld;
  let browser: Browser;
  let page: Page;
  let base: string;
  let fireHead: Principal;
  let marketHead: Principal;
  const proposalFor = (creditCode: string) => proposalOf(t, w, creditCode);

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), openBrowser({ width: 390, height: 844 })]);
    w = await proposalWorld(t);
    fireHead = { ...as.head(w.fire.code), name: '周大队长' };
    marketHead = { ...as.head(w.market.code), name: '李局长' };
    base = await serve(t);
    page = await browser.context.newPage();
    // Accepting and declining are final: the app asks, and the person confirms.
    page.on('dialog', (d) => void d.accept());
  });
  afterAll(() => closeOfficerPhone({ t, browser }));

  async function signIn(who: Principal, hash: string) {
    await page.goto(`${base}/favicon.ico`);
    await page.evaluate(() => localStorage.clear());
    await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), ['wh327.officer.token', t.token(who)]);
    await page.goto(`${base}/officer/#/${hash}`);
    await page.getByTestId('todo-count').waitFor();
  }

  it('an officer of the cooperating unit sees the proposals waiting for the head’s answer, without the answer buttons', async () => {
    await signIn({ ...as.officer(w.fire.code), name: '陈刚', certificateNo: '42010620260021' }, 'proposals');
    const waiting = page.getByTestId('proposals-waiting');
    await seeText(waiting, '待本单位负责人答复（2）');
    await waiting.locator('a', { hasText: w.enterprise.name }).click();
    await seeText(page.getByTestId('proposal-answer'), '由本单位负责人答复');
    expect(await page.getByTestId('proposal-accept').count()).toBe(0);
    expect(await layoutProblems(page)).toEqual([]);
  });

  it('the cooperating unit’s head finds the proposal in the to-do list and reads it in Chinese, by name', async () => {
    await signIn(fireHead, 'today');
    await seeText(page.getByTestId('todo-count'), '2', 'exact');
    await page.getByTestId('todo').click();
    const todo = page.locator('[data-todo=proposals]');
    await seeText(todo, '待答复的联合检查建议（第二十八条）（2）');
    await seeText(todo, w.enterprise.name);
    await todo.locator('a', { hasText: w.enterprise.name }).click();
    await page.getByTestId('proposal-facts').waitFor();
    await seeText(page.getByTestId('proposal-enterprise'), w.enterprise.name, 'exact');
    await seeText(page.getByTestId('proposal-lead'), w.market.name, 'exact');
    await seeText(page.getByTestId('proposal-cooperating'), w.fire.name, 'exact');
    await seeText(page.getByTestId('proposal-units'), '餐饮服务食品安全监督检查');
    await seeText(page.getByTestId('proposal-units'), '消防安全检查');
    await seeText(page.getByTestId('proposal-form'), '安全出口和疏散通道');
    await seeText(page.getByTestId('proposal-state'), '待各单位答复');
    // Names, never the units' or the enterprise's codes.
    const text = (await page.locator('main').textContent()) ?? '';
    for (const code of [w.market.code, w.fire.code, w.enterprise.creditCode]) expect(text).not.toContain(code);
    expect(await layoutProblems(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('asks beside the officer list for someone to send, then accepts naming the officers picked by name and certificate', async () => {
    await page.getByTestId('proposal-accept').click();
    await seeText(page.locator('[data-error-for=inspectors]'), '请选择本单位派出的执法人员');
    await page.getByTestId('officer-picker').getByText('陈刚 · 执法证 42010620260021').click();
    await page.getByTestId('officer-picker').getByText('周敏 · 执法证 42010620260022').click();
    await page.getByTestId('proposal-accept').click();
    await seeText(page.locator(`[data-unit="${w.fire.code}"]`), '答复：已接受');
    await seeText(page.locator(`[data-unit="${w.fire.code}"]`), '陈刚（执法证 42010620260021）、周敏（执法证 42010620260022）');
    await seeText(page.getByTestId('proposal-state'), '待各单位答复');
  });

  it('declines the other proposal only with a reason from the list, asked for beside its field', async () => {
    const other = await proposalFor(w.other.creditCode);
    await page.goto(`${base}/officer/#/proposals/${other.id}`);
    await page.getByTestId('decline').locator('summary').click();
    await page.getByTestId('proposal-decline').click();
    await seeText(page.locator('[data-error-for=reason]'), '请从列表中选择拒绝理由');
    await page.getByTestId('decline-reason').selectOption('inspected_already');
    await page.getByTestId('decline-note').fill('本季度已完成对该企业的消防检查');
    await page.getByTestId('proposal-decline').click();
    await seeText(page.locator(`[data-unit="${w.fire.code}"]`), '本单位本期已对该企业实施检查');
    await seeText(page.getByTestId('proposal-state'), '协同单位拒绝，未能联合');
    expect((await proposalFor(w.other.creditCode)).state).toBe('declined');
  });

  it('the lead’s head accepts and launches: one joint visit with one code, linked from the proposal', async () => {
    await signIn(marketHead, 'joint');
    await seeText(page.getByTestId('proposals-link'), '待本单位答复 1 项');
    await page.getByTestId('proposals-link').click();
    await page.locator('[data-testid=proposals-waiting] a', { hasText: w.enterprise.name }).click();
    await page.getByTestId('officer-picker').getByText('王晓明 · 执法证 42010620260011').click();
    await page.getByTestId('officer-picker').getByText('李红 · 执法证 42010620260012').click();
    await page.getByTestId('proposal-accept').click();
    await page.getByTestId('proposal-launched').waitFor();
    const p = await proposalFor(w.enterprise.creditCode);
    expect(p.state).toBe('launched');
    const task = (await t.call({ method: 'GET', url: `/api/v1/joint-tasks/${p.jointTaskId}`, as: w.supervisor })).json();
    expect(task.visits).toHaveLength(1);
    expect(task.visits[0].code).toBeTruthy();
    await seeText(page.getByTestId('proposal-code'), task.visits[0].code, 'exact');
    expect(await layoutProblems(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('open-joint-task').click();
    await page.locator(`[data-task="${p.jointTaskId}"].focus`).waitFor();
    await seeText(page.locator(`[data-task="${p.jointTaskId}"]`), '餐饮服务单位“综合查一次”');
  });
});
