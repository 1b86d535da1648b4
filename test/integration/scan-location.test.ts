import { afterAll, beforeAll, expect, it } from 'vitest';
import { as } from '../support/factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

// The registered premises, and two phones: one at the gate (~60 m off), one across the river (~5 km off).
const PREMISES = { latitude: 30.5431, longitude: 114.3162 };
const AT_GATE = { latitude: 30.5436, longitude: 114.3165, accuracyM: 15 };
const ACROSS_RIVER = { latitude: 30.5601, longitude: 114.2651, accuracyM: 30 };

describeDb('亮码即定位：扫码记录位置，远离登记经营场所的扫码向监督人员标示（第十七条第（二）项；距离为设置 SCAN_FAR_METRES）', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp({ config: { evidence: { maxBytes: 1024 * 1024, scanFarMetres: 500 } } });
    w = await newInspectionWorld(t, { cap: 10 });
    const patched = await t.call({ method: 'PATCH', url: `/api/v1/enterprises/${w.enterprise.creditCode}`, as: as.admin(), payload: PREMISES });
    expect(patched.json()).toMatchObject(PREMISES);
  });
  afterAll(() => t.close());

  async function scanned(position?: typeof AT_GATE) {
    t.clock.set('2026-04-02T09:00:00+08:00');
    const id = await approvedInspection(t, w);
    const code = (await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).json().code;
    t.clock.set('2026-04-08T10:05:00+08:00');
    const res = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/scan`, as: w.officer, payload: position ? { position } : {} });
    expect(res.statusCode).toBe(201);
    return id;
  }

  it('records where a scan at the gate happened, its distance, and no marker', async () => {
    const id = await scanned(AT_GATE);
    const [scan] = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.supervisor })).json().scans;
    expect(scan.position).toEqual(AT_GATE);
    expect(scan.distanceM).toBeGreaterThan(40);
    expect(scan.distanceM).toBeLessThan(100);
    expect(scan.farFromPremises.far).toBe(false);
  });

  it('marks a scan far from the premises for the supervisors, naming the setting, not an article', async () => {
    const id = await scanned(ACROSS_RIVER);
    const detail = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.supervisor })).json();
    const [scan] = detail.scans;
    expect(scan.distanceM).toBeGreaterThan(4000);
    expect(scan.farFromPremises.far).toBe(true);
    expect(scan.farFromPremises.noteZh).toContain('SCAN_FAR_METRES');
    expect(scan.farFromPremises.noteZh).not.toMatch(/第.+条/);
    // The enterprise sees the marker but never the officer's position.
    const own = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: as.enterprise(w.enterprise.creditCode) })).json();
    expect(own.scans[0]).toMatchObject({ position: null, farFromPremises: { far: true } });
    const audit = detail.history.find((h: { action: string }) => h.action === 'code.scanned');
    expect(audit).toBeDefined();
  });

  it('records a scan without a position when the officer declines, with no distance and no marker', async () => {
    const id = await scanned();
    const [scan] = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.supervisor })).json().scans;
    expect(scan).toMatchObject({ position: null, distanceM: null, farFromPremises: null });
  });

  it('refuses a position out of range, naming the field', async () => {
    t.clock.set('2026-04-02T09:00:00+08:00');
    const id = await approvedInspection(t, w);
    const code = (await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).json().code;
    expect(code).toMatch(/^JC-/);
    const res = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/scan`, as: w.officer, payload: { position: { latitude: 91, longitude: 114.3 } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.position.latitude');
  });
});
