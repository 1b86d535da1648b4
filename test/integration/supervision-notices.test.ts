import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { as } from '../support/factories.js';
import { newFlag, newTwoDistricts, type TwoDistricts } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第六条第二款 市、区司法行政部门……对行政检查履行行政执法监督职责: a supervisor sends a flagged agency a 督办
 * with a deadline, the agency's head answers, the supervisor accepts or returns the answer; an answer still
 * missing after the deadline shows as overdue. The deadline is the supervisor's, so lateness is shown, not
 * raised as a breach of an article.
 */
describeDb('第六条 督办：监督人员就违规标记督办，行政执法主体答复', () => {
  let t: TestApp;
  let w: TwoDistricts;
  let city: Principal;
  let sup1: Principal;
  let sup2: Principal;
  let flag1: string;
  let flag2: string;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-04-02T09:00:00+08:00' });
    w = await newTwoDistricts(t.db);
    city = { ...as.supervisor(w.cityBureau.code), name: '市司法局张监督' };
    sup1 = { ...as.supervisor(w.d1.bureau.code, w.d1.code), name: '区司法局李监督' };
    sup2 = as.supervisor(w.d2.bureau.code, w.d2.code);
    flag1 = await newFlag(t.db, '2026-03-30T02:00:00Z', { rule: 'CODE_NOT_SCANNED', agencyCode: w.d1.agency.code, enterpriseCode: w.d1.enterprise.creditCode });
    flag2 = await newFlag(t.db, '2026-03-30T02:00:00Z', { rule: 'COST_SHIFTED', agencyCode: w.d2.agency.code, enterpriseCode: w.d2.enterprise.creditCode });
  });
  afterAll(() => t.close());

  const send = (by: Principal, body: Record<string, unknown>, key?: string) =>
    t.call({ method: 'POST', url: '/api/v1/supervision-notices', as: by, payload: body, headers: key ? { 'idempotency-key': key } : {} });

  describe('发出督办', () => {
    it('sends the flagged agency a notice with a deadline, once per Idempotency-Key, shown to the agency by name', async () => {
      const body = { flagId: flag1, dueDate: '2026-04-10', request: '请于期限内说明未扫码登记的原因并整改' };
      const first = await send(sup1, body, 'notice-key-0001');
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({
        flagId: flag1,
        rule: 'CODE_NOT_SCANNED',
        agencyCode: w.d1.agency.code,
        agencyName: w.d1.agency.name,
        issuedByName: '区司法局李监督',
        dueDate: '2026-04-10',
        state: 'sent',
        stateZh: '待答复',
        overdue: false,
      });
      expect(first.body).not.toContain('supervisor:');
      const again = await send(sup1, body, 'notice-key-0001');
      expect(again.json().id).toBe(first.json().id);
      const mine = await t.call({ method: 'GET', url: '/api/v1/supervision-notices', as: as.officer(w.d1.agency.code) });
      expect(mine.headers['x-total-count']).toBe('1');
      expect(mine.json()[0].id).toBe(first.json().id);
    });

    it('refuses a deadline in the past, an unknown flag, and a flag of another district, naming the field or the scope', async () => {
      expect((await send(city, { flagId: flag1, dueDate: '2026-04-01', request: '说明情况' })).json()).toMatchObject({ status: 400, errors: [{ field: 'body.dueDate' }] });
      expect((await send(city, { flagId: '01890000-0000-7000-8000-000000000000', dueDate: '2026-04-10', request: '说明情况' })).json()).toMatchObject({ status: 400, errors: [{ field: 'body.flagId' }] });
      const other = await send(sup1, { flagId: flag2, dueDate: '2026-04-10', request: '说明情况' });
      expect(other.statusCode).toBe(403);
      expect(other.json().code).toBe('OUT_OF_SCOPE');
    });

    it('is for supervisors: an officer, a head or an enterprise cannot send one', async () => {
      for (const p of [as.officer(w.d1.agency.code), as.head(w.d1.agency.code), as.enterprise(w.d1.enterprise.creditCode)]) {
        expect((await send(p, { flagId: flag1, dueDate: '2026-04-10', request: '说明情况' })).statusCode).toBe(403);
      }
    });
  });

  describe('答复与审核', () => {
    it('lets only the addressed agency’s head answer; the supervisor returns a thin answer and accepts the next', async () => {
      const n = (await send(city, { flagId: flag2, dueDate: '2026-04-08', request: '请说明检查费用由企业承担的情况' })).json();
      const officer = await t.call({ method: 'POST', url: `/api/v1/supervision-notices/${n.id}/answer`, as: as.officer(w.d2.agency.code), payload: { answer: '已整改' } });
      expect(officer.statusCode).toBe(403);
      const stranger = await t.call({ method: 'POST', url: `/api/v1/supervision-notices/${n.id}/answer`, as: as.head(w.d1.agency.code), payload: { answer: '已整改' } });
      expect(stranger.json().code).toBe('OUT_OF_SCOPE');
      const head = { ...as.head(w.d2.agency.code), name: '王局长' };
      const answered = await t.call({ method: 'POST', url: `/api/v1/supervision-notices/${n.id}/answer`, as: head, payload: { answer: '已退还企业垫付的费用' } });
      expect(answered.json()).toMatchObject({ state: 'answered', answeredByName: '王局长', answeredLate: false });
      // Answering twice is a refused transition that names the state in Chinese.
      const twice = await t.call({ method: 'POST', url: `/api/v1/supervision-notices/${n.id}/answer`, as: head, payload: { answer: '再次答复' } });
      expect(twice.json()).toMatchObject({ status: 409, code: 'INVALID_TRANSITION', currentState: 'answered' });
      const noReason = await t.call({ method: 'POST', url: `/api/v1/supervision-notices/${n.id}/return`, as: city, payload: { note: ' ' } });
      expect(noReason.json()).toMatchObject({ status: 400, errors: [{ field: 'body.note' }] });
      const returned = await t.call({ method: 'POST', url: `/api/v1/supervision-notices/${n.id}/return`, as: city, payload: { note: '请附退款凭证' } });
      expect(returned.json()).toMatchObject({ state: 'sent', reviewNote: '请附退款凭证' });
      await t.call({ method: 'POST', url: `/api/v1/supervision-notices/${n.id}/answer`, as: head, payload: { answer: '已附退款凭证' } });
      const accepted = await t.call({ method: 'POST', url: `/api/v1/supervision-notices/${n.id}/accept`, as: city, payload: {} });
      expect(accepted.json()).toMatchObject({ state: 'closed', stateZh: '已办结' });
      const audit = await t.call({ method: 'GET', url: `/api/v1/audit?subjectType=supervision_notice&subjectId=${n.id}`, as: city });
      expect(audit.statusCode).toBe(200);
      const actions = (audit.json() as { action: string }[]).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['supervision_notice.sent', 'supervision_notice.answered', 'supervision_notice.returned', 'supervision_notice.accepted']));
    });

    it('shows a notice without an answer after its deadline as overdue, to the supervisor and to the agency, and an answer after it as late', async () => {
      const n = (await send(sup1, { flagId: flag1, dueDate: '2026-04-03', request: '请说明' })).json();
      t.clock.set('2026-04-07T10:00:00+08:00');
      const overdue = await t.call({ method: 'GET', url: '/api/v1/supervision-notices?overdue=true', as: sup1 });
      expect(overdue.json().map((x: { id: string }) => x.id)).toContain(n.id);
      expect(overdue.json().find((x: { id: string }) => x.id === n.id)).toMatchObject({ overdue: true });
      const agencySide = await t.call({ method: 'GET', url: `/api/v1/supervision-notices/${n.id}`, as: as.officer(w.d1.agency.code) });
      expect(agencySide.json()).toMatchObject({ overdue: true });
      // Both to-do lists carry it: the head's to answer, the supervisor's as overdue.
      const headTodo = (await t.call({ method: 'GET', url: '/api/v1/me/todo', as: as.head(w.d1.agency.code) })).json();
      expect(headTodo.lists.find((l: { key: string }) => l.key === 'notices').entries).toContainEqual(expect.objectContaining({ id: n.id, overdue: true, due: '2026-04-03' }));
      const supTodo = (await t.call({ method: 'GET', url: '/api/v1/me/todo', as: sup1 })).json();
      expect(supTodo.lists.find((l: { key: string }) => l.key === 'overdueNotices').entries.map((e: { id: string }) => e.id)).toContain(n.id);
      const late = await t.call({ method: 'POST', url: `/api/v1/supervision-notices/${n.id}/answer`, as: as.head(w.d1.agency.code), payload: { answer: '已补扫并整改' } });
      expect(late.json()).toMatchObject({ state: 'answered', overdue: false, answeredLate: true });
    });

    it('keeps another district’s supervisor and every enterprise out', async () => {
      const list = await t.call({ method: 'GET', url: '/api/v1/supervision-notices', as: sup2 });
      for (const n of list.json() as { agencyCode: string }[]) expect(n.agencyCode).toBe(w.d2.agency.code);
      const mine = (await t.call({ method: 'GET', url: '/api/v1/supervision-notices', as: sup1 })).json() as { id: string }[];
      const peek = await t.call({ method: 'GET', url: `/api/v1/supervision-notices/${mine[0]!.id}`, as: sup2 });
      expect(peek.json().code).toBe('OUT_OF_SCOPE');
      expect((await t.call({ method: 'GET', url: '/api/v1/supervision-notices', as: as.enterprise(w.d1.enterprise.creditCode) })).statusCode).toBe(403);
    });
  });
});
