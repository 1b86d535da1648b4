import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/command.js';
import { flags, inspections } from '../../src/db/schema/index.js';
import { findClient } from '../../src/exchange/clients.repository.js';
import { parseNdjson } from '../../src/exchange/import-parse.js';
import { importInspections } from '../../src/exchange/imports.js';
import { as, newEnterprise } from '../support/factories.js';
import { readWholeFeed, registerPlatform, type RegisteredPlatform } from '../support/exchange-factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('第二十四条、第二十九条 上级主管部门工作平台的检查数据归集', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let p: RegisteredPlatform;

  const row = (over: Record<string, unknown> = {}) => ({
    sourceId: 'SCJG-2026-0001',
    agencyCode: w.agency.code,
    enterpriseCode: w.enterprise.creditCode,
    kind: 'routine',
    mode: 'onsite',
    matterCodes: [w.matter],
    windowStart: '2026-03-10T09:00:00+08:00',
    windowEnd: '2026-03-10T12:00:00+08:00',
    sourceCode: 'HB-CODE-0001',
    ...over,
  });
  const ndjson = (rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');
  const post = (body: string, contentType = 'application/x-ndjson', who: RegisteredPlatform = p) =>
    t.call({ method: 'POST', url: '/api/v1/imports/inspections', headers: { ...who.headers, 'content-type': contentType }, payload: body });
  const imported = async (sourceSystem: string) => t.db.select().from(inspections).where(eq(inspections.sourceSystem, sourceSystem));

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 2 });
    p = await registerPlatform(t, { importAgencies: [w.agency.code] });
  });
  afterAll(() => t.close());

  describe('批量报送：逐行校验，逐行回执，不留半截数据', () => {
    it('applies the valid rows and reports every refused row with its field and reason', async () => {
      const res = await post(
        ndjson([
          row(),
          row(), // the same row twice in one batch: the second changes nothing
          row({ sourceId: 'BAD-CREDIT', enterpriseCode: '91420100MA4K1234X0' }),
          row({ sourceId: 'BAD-MATTER', matterCodes: ['NO-SUCH-MATTER'] }),
          row({ sourceId: 'OTHER-AGENCY', agencyCode: w.city.code }),
          row({ sourceId: 'BAD-WINDOW', windowEnd: '2026-03-09T09:00:00+08:00' }),
          '{not json',
          row({ sourceId: 'SCJG-2026-0002', sourceCode: undefined, windowStart: '2026-03-20T09:00:00+08:00', windowEnd: '2026-03-20T11:00:00+08:00' }),
        ]),
      );
      expect(res.statusCode, res.body).toBe(200);
      const report = res.json();
      expect(report).toMatchObject({ received: 8, created: 2, corrected: 0, unchanged: 1, refused: 5 });
      expect(report.rows.map((r: { status: string }) => r.status)).toEqual(['created', 'unchanged', 'refused', 'refused', 'refused', 'refused', 'refused', 'created']);
      const errorsOf = (line: number) => report.rows[line - 1].errors.map((e: { field: string }) => e.field);
      expect(errorsOf(3)).toEqual(['enterpriseCode']);
      expect(errorsOf(4)).toEqual(['matterCodes']);
      expect(errorsOf(5)).toEqual(['agencyCode']);
      expect(errorsOf(6)).toEqual(['windowEnd']);
      expect(errorsOf(7)).toEqual(['line']);
      const rows = await imported(report.sourceSystem);
      expect(rows.map((r) => r.sourceId).sort()).toEqual(['SCJG-2026-0001', 'SCJG-2026-0002']);
      expect(rows.every((r) => r.state === 'recorded' && r.inspectors.length === 0)).toBe(true);
    });

    it('a resent batch changes nothing; a corrected row is a new version, audited', async () => {
      const first = (await post(ndjson([row({ sourceId: 'RESEND-1' })]))).json();
      expect(first.rows[0]).toMatchObject({ status: 'created', sourceVersion: 1 });
      const again = (await post(ndjson([row({ sourceId: 'RESEND-1' })]))).json();
      expect(again.rows[0]).toMatchObject({ status: 'unchanged', sourceVersion: 1, inspectionId: first.rows[0].inspectionId });
      const corrected = (await post(ndjson([row({ sourceId: 'RESEND-1', windowEnd: '2026-03-10T15:00:00+08:00', outcome: 'no_violation' })]))).json();
      expect(corrected.rows[0]).toMatchObject({ status: 'corrected', sourceVersion: 2, inspectionId: first.rows[0].inspectionId });
      const [stored] = await t.db.select().from(inspections).where(eq(inspections.id, corrected.rows[0].inspectionId));
      expect(stored!.windowEnd.toISOString()).toBe('2026-03-10T07:00:00.000Z');
      expect(stored!.outcome).toMatchObject({ kind: 'no_violation' });
      const audit = await t.db.execute<{ action: string }>(sql`SELECT action FROM audit_entries WHERE subject_id = ${stored!.id} ORDER BY id`);
      expect((audit as unknown as { rows: { action: string }[] }).rows.map((r) => r.action)).toEqual(['inspection.imported', 'inspection.import_corrected']);
    });

    it('reads CSV with a header line, quoted fields and ; between matters', async () => {
      const e = await newEnterprise(t.db, { districtCode: w.districtCode });
      const csv = [
        'sourceId,agencyCode,enterpriseCode,kind,mode,matterCodes,windowStart,windowEnd,sourceCode',
        `CSV-1,${w.agency.code},${e.creditCode},routine,offsite,"${w.offsiteMatter};${w.matter}",2026-03-11T09:00:00+08:00,2026-03-11T10:00:00+08:00,`,
        `CSV-2,${w.agency.code},${e.creditCode},daily,onsite,${w.matter},2026-03-11T09:00:00+08:00,2026-03-11T10:00:00+08:00,X`,
      ].join('\r\n');
      const report = (await post(csv, 'text/csv')).json();
      expect(report).toMatchObject({ created: 1, refused: 1 });
      expect(report.rows[1].errors).toEqual([{ field: 'kind', message: expect.stringContaining('routine') }]);
      const [created] = await t.db.select().from(inspections).where(eq(inspections.id, report.rows[0].inspectionId));
      expect(created!.matterCodes.sort()).toEqual([w.matter, w.offsiteMatter].sort());
    });

    it('writes nothing when the batch fails as a whole (one transaction)', async () => {
      const client = (await findClient(t.db, p.id))!;
      await expect(
        runCommand({ db: t.db, clock: t.clock, auditMac: t.app.services.auditMac, actor: as.platform(p.id) }, null as never, async (tx, scope) => {
          await importInspections(tx, scope, as.platform(p.id), client, parseNdjson(ndjson([row({ sourceId: 'ROLLED-BACK' })])));
          throw new Error('the connection dropped before commit');
        }),
      ).rejects.toThrow('the connection dropped');
      expect((await imported(client.sourceSystem)).filter((r) => r.sourceId === 'ROLLED-BACK')).toEqual([]);
      const feed = await readWholeFeed(t, await registerPlatform(t));
      expect(feed.events.filter((e) => JSON.stringify(e.data).includes('ROLLED-BACK'))).toEqual([]);
    });

    it('refuses a body that is neither NDJSON nor CSV, and a platform not allowed to import', async () => {
      expect((await post('{"a":1}', 'application/json')).statusCode).toBe(415);
      const readOnly = await registerPlatform(t);
      const res = await post(ndjson([row()]), 'application/x-ndjson', readOnly);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('OUT_OF_SCOPE');
    });
  });

  describe('第十五条、第四十条第（十）项 报送的检查与本地检查一样计入频次上限', () => {
    it('a cap used up by imported inspections refuses the next code here', async () => {
      // The world's cap is 2 routine inspections a year per agency; both were recorded on the platform.
      const e = await newEnterprise(t.db, { districtCode: w.districtCode });
      const report = (
        await post(
          ndjson([
            row({ sourceId: 'CAP-1', enterpriseCode: e.creditCode }),
            row({ sourceId: 'CAP-2', enterpriseCode: e.creditCode, windowStart: '2026-03-25T09:00:00+08:00', windowEnd: '2026-03-25T10:00:00+08:00' }),
          ]),
        )
      ).json();
      expect(report.created).toBe(2);
      const id = await approvedInspection(t, w, { enterpriseCode: e.creditCode });
      const code = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
      expect(code.statusCode, code.body).toBe(422);
      expect(code.json()).toMatchObject({ code: 'FREQUENCY_CAP', article: '第十五条、第四十条第（十）项' });
    });
  });

  describe('第十五条 上级主管部门部署的专项检查计划，不纳入年度检查频次', () => {
    it('an imported special inspection naming the upper authority that deployed it counts toward no cap; one without counts', async () => {
      // The world's cap is 2 inspections a year per agency. Two special inspections were recorded on the platform:
      // one executing the provincial authority's deployment, one the agency's own.
      const e = await newEnterprise(t.db, { districtCode: w.districtCode });
      const special = { kind: 'special', enterpriseCode: e.creditCode, sourceCode: undefined };
      const report = (
        await post(
          ndjson([
            row({ ...special, sourceId: 'SP-DEPLOYED-1', deployedBy: '湖北省市场监督管理局' }),
            row({ ...special, sourceId: 'SP-OWN-1', windowStart: '2026-03-12T09:00:00+08:00', windowEnd: '2026-03-12T11:00:00+08:00' }),
          ]),
        )
      ).json();
      expect(report, JSON.stringify(report)).toMatchObject({ created: 2 });

      t.clock.set('2026-03-20T09:00:00+08:00');
      const frequency = await t.call({ method: 'GET', url: `/api/v1/enterprises/${e.creditCode}/frequency?agency=${w.agency.code}&matter=${w.matter}`, as: w.officer });
      expect(frequency.statusCode, frequency.body).toBe(200);
      expect(frequency.json().caps).toHaveLength(1);
      expect(frequency.json()).toMatchObject({ article: '第十五条', allowed: true, caps: [{ limit: 2, used: 1, remaining: 1 }] });

      // Had the deployed one counted, the cap of 2 would be used up; with it left out, one more code may be issued here.
      const id = await approvedInspection(t, w, { enterpriseCode: e.creditCode });
      const code = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
      expect(code.statusCode, code.body).toBe(201);
      const after = (await t.call({ method: 'GET', url: `/api/v1/enterprises/${e.creditCode}/frequency?agency=${w.agency.code}&matter=${w.matter}`, as: w.officer })).json();
      expect(after).toMatchObject({ allowed: false, caps: [{ used: 2, remaining: 0 }] });
    });
  });

  describe('第十七条 报送的现场日常检查未附检查码：形成违规标记，不默认接受', () => {
    it('raises ONSITE_WITHOUT_CODE for supervisors on the imported inspection', async () => {
      const report = (await post(ndjson([row({ sourceId: 'FLAG-NO-CODE', sourceCode: undefined }), row({ sourceId: 'FLAG-WITH-CODE' }), row({ sourceId: 'FLAG-CASE', kind: 'case', sourceCode: undefined })]))).json();
      expect(report.rows.map((r: { flags?: string[] }) => r.flags ?? [])).toEqual([['ONSITE_WITHOUT_CODE'], [], []]);
      const [without, withCode, caseRow] = report.rows.map((r: { inspectionId: string }) => r.inspectionId);
      const raised = await t.db.select().from(flags).where(and(eq(flags.rule, 'ONSITE_WITHOUT_CODE'), eq(flags.subjectId, without)));
      expect(raised).toHaveLength(1);
      expect(raised[0]!.detail).toContain('FLAG-NO-CODE');
      expect(raised[0]!.detail).toContain(w.enterprise.name);
      for (const id of [withCode, caseRow]) expect(await t.db.select().from(flags).where(eq(flags.subjectId, id))).toEqual([]);
    });

    it('counts imported inspections in the supervisors’ dashboard and shows their source in the export', async () => {
      const board = async () => (await t.call({ method: 'GET', url: '/api/v1/stats/dashboard?year=2026', as: w.supervisor })).json().inspections.total as number;
      const before = await board();
      expect((await post(ndjson([row({ sourceId: 'DASH-1' })]))).json().created).toBe(1);
      expect(await board()).toBe(before + 1);
      const csv = await t.call({ method: 'GET', url: '/api/v1/inspections/export.csv?from=2026-03-01&to=2026-03-31', as: w.supervisor });
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.body.split('\r\n').find((l) => l.includes('DASH-1'))).toContain('上级平台已记录');
    });

    it('shows the source where the inspection is shown', async () => {
      const created = (await post(ndjson([row({ sourceId: 'SHOWN-1' })]))).json().rows[0];
      await post(ndjson([row({ sourceId: 'SHOWN-1', windowEnd: '2026-03-10T13:00:00+08:00' })]));
      const res = await t.call({ method: 'GET', url: `/api/v1/inspections/${created.inspectionId}`, as: w.officer });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().inspection).toMatchObject({ sourceSystem: expect.stringMatching(/^HB-/), sourceId: 'SHOWN-1', sourceVersion: 2, sourceCode: 'HB-CODE-0001', stateZh: '上级平台已记录' });
    });
  });
});
