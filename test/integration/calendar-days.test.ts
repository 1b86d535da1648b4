import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { as, newAgency } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('第二十三条 工作日日历：调休休息日不称法定节假日，已录入年度可更正单日', () => {
  let t: TestApp;
  let officer: Principal;
  const admin = as.admin();

  beforeAll(async () => {
    t = await createTestApp();
    officer = as.officer((await newAgency(t.db)).code);
  });
  afterAll(() => t.close());

  const day = async (date: string) => (await t.call({ method: 'GET', url: `/api/v1/calendar/days/${date}`, as: officer })).json();
  const correct = (date: string, payload: Record<string, unknown>) => t.call({ method: 'PUT', url: `/api/v1/calendar/days/${date}`, as: admin, payload });

  describe('labels say which rest day it is', () => {
    it('calls a 调休 rest day of the Spring Festival break 调休休息日, and a statutory day 法定节假日', async () => {
      expect(await day('2026-02-17')).toMatchObject({ kind: 'holiday', label: '法定节假日', working: false, name: '春节' });
      expect(await day('2026-02-20')).toMatchObject({ kind: 'adjusted_rest_day', label: '调休休息日', working: false, name: '春节调休' });
      expect(await day('2026-02-28')).toMatchObject({ kind: 'adjusted_workday', label: '调休上班日', working: true });
    });

    it('keeps entered 调休 rest days apart when an administrator enters a year', async () => {
      const put = await t.call({
        method: 'PUT',
        url: '/api/v1/calendar/years/2033',
        as: admin,
        payload: {
          source: '国办发明电〔2032〕X号（测试）',
          holidays: [{ date: '2033-01-01', name: '元旦' }],
          restDays: [{ date: '2033-01-03', name: '元旦调休' }],
          workdays: [{ date: '2033-01-08', name: '元旦调休上班' }],
        },
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toMatchObject({ holidays: 1, restDays: 1, workdays: 1 });
      expect(await day('2033-01-03')).toMatchObject({ kind: 'adjusted_rest_day', label: '调休休息日', working: false });
    });
  });

  describe('one day of a published year is corrected without re-entering the year', () => {
    it('corrects one day of a bundled year and keeps every other day of it', async () => {
      const res = await correct('2026-05-06', { kind: 'rest', name: '劳动节调休（更正，测试）', source: '国办发明电更正通知（测试）' });
      expect(res.statusCode, res.body).toBe(200);
      expect(await day('2026-05-06')).toMatchObject({ kind: 'adjusted_rest_day', working: false });
      expect(await day('2026-02-17')).toMatchObject({ kind: 'holiday' });
      expect(await day('2026-02-20')).toMatchObject({ kind: 'adjusted_rest_day' });
      expect(await day('2026-02-28')).toMatchObject({ kind: 'adjusted_workday' });
      const back = await correct('2026-05-06', { kind: 'ordinary', source: '撤回更正（测试）' });
      expect(back.json()).toMatchObject({ before: 'rest', kind: 'ordinary' });
      expect(await day('2026-05-06')).toMatchObject({ kind: 'workday', label: '工作日' });
    });

    it('refuses to correct a day of a year never entered, and asks for a name for a holiday', async () => {
      expect((await correct('2040-01-02', { kind: 'holiday', name: '元旦', source: 'x' })).json().code).toBe('CALENDAR_YEAR_UNPUBLISHED');
      expect((await correct('2026-05-07', { kind: 'holiday', source: 'x' })).json().errors[0].field).toBe('body.name');
      expect((await t.call({ method: 'PUT', url: '/api/v1/calendar/days/2026-05-07', as: officer, payload: { kind: 'ordinary', source: 'x' } })).json().code).toBe('FORBIDDEN_ROLE');
    });
  });
});
