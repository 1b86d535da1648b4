import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { findCode } from '../../src/visits/repository.js';
import { as } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/** README's promise: `npm start` on an empty database, and the console's dashboard has something to show. */
describeDb('the demo data gives the console a year of activity', () => {
  let t: TestApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'wh327-demo-'));
  const previous = process.env.DATA_DIR;

  beforeAll(async () => {
    // The demo signs its codes with the keyring of DATA_DIR, as the server started on it would.
    process.env.DATA_DIR = dataDir;
    t = await createTestApp({ start: '2026-11-21T10:00:00+08:00' });
    await seedDemo(t.db, t.clock.now());
  });
  afterAll(async () => {
    await t.close();
    process.env.DATA_DIR = previous;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fills every panel of the city dashboard', async () => {
    const d = (await t.call({ method: 'GET', url: '/api/v1/stats/dashboard', as: as.supervisor('WH-SFJ') })).json();
    expect(d.year).toBe(2026);
    expect(d.inspections.total).toBe(10);
    expect(d.inspections.byKind.map((k: { kind: string }) => k.kind).sort()).toEqual(['case', 'routine']);
    expect(d.scanRate).toEqual({ scanned: 6, withCode: 8, rate: 0.75 });
    expect(d.flags.byRule.map((r: { rule: string }) => r.rule).sort()).toEqual(
      ['CODE_NOT_SCANNED', 'COST_SHIFTED', 'DISGUISED_INSPECTION', 'LEGAL_REP_REQUIRED', 'ONSITE_WITHOUT_CODE', 'PLAN_FILING_DEADLINE'].sort(),
    );
    // Art. 13: judged by the agency's submission; the three awaiting the bureau were submitted in time.
    expect(d.plans).toMatchObject({ onTime: 9, late: 1, awaitingFiling: 3, bureau: { pending: 3 } });
    // Opened from findings 33 days ago and never sent: past its 10 working days (Art. 23).
    expect(d.overdueReferrals).toEqual({ overdue: 1, total: 1 });
  });

  it('leaves plans for the city bureau to file, and a code valid right now for the check page', async () => {
    const supervisor = as.supervisor('WH-SFJ');
    const awaiting = (await t.call({ method: 'GET', url: '/api/v1/plans?state=submitted', as: supervisor })).json();
    expect(awaiting.map((p: { agencyCode: string }) => p.agencyCode).sort()).toEqual(['420106-CGZF', 'WH-CGZF', 'WH-WSJK']);
    const filed = await t.call({ method: 'POST', url: `/api/v1/plans/${awaiting.find((p: { agencyCode: string }) => p.agencyCode === 'WH-CGZF').id}/file`, as: supervisor });
    expect(filed.json()).toMatchObject({ state: 'filed', filedLate: true });

    const now = (await t.call({ method: 'GET', url: '/api/v1/inspections?state=code_issued', as: supervisor })).json();
    expect(now).toHaveLength(1);
    const story = (await t.call({ method: 'GET', url: `/api/v1/inspections/${now[0].id}`, as: supervisor })).json();
    expect((await t.call({ method: 'GET', url: `/api/v1/codes/${story.code.code}` })).json()).toMatchObject({ status: 'valid' });
    // The details are for the QR holder: the demo's QR carries the signature.
    const row = (await findCode(t.db, story.code.code))!;
    const check = (await t.call({ method: 'GET', url: `/api/v1/codes/${story.code.code}?k=${row.kid}&s=${row.signature}` })).json();
    expect(check).toMatchObject({ status: 'valid', agencies: [{ code: 'WH-SCJG' }] });
    expect(story.history.map((e: { action: string }) => e.action)).toEqual(['inspection.drafted', 'inspection.approved', 'inspection.code_issued']);
  });

  it('records the enterprise report through the real command, with its flags on the district’s list', async () => {
    const flags = (await t.call({ method: 'GET', url: '/api/v1/flags?rule=DISGUISED_INSPECTION', as: as.supervisor('420106-SFJ', '420106') })).json();
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ subjectType: 'enterprise_report', districtCode: '420106' });
  });
});
