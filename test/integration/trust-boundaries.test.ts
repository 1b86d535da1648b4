import { and, count, eq } from 'drizzle-orm';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { DEV_ISSUER, DEV_KEY_ID } from '../../src/auth/dev-key.js';
import { auditEntries, codeScans, flags, inspections } from '../../src/db/schema/index.js';
import { as, newAgency } from '../support/factories.js';
import { registerPlatform } from '../support/exchange-factories.js';
import { approvedInspection, draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newFiledPlan } from '../support/plan-factories.js';
import { issuedCode } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

// The smallest real PNG (1×1, transparent).
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describeDb('第十七条 检查前不告知：企业在检查开始前看不到针对自己的检查（issue 23）', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let ent: Principal;

  beforeAll(async () => {
    t = await createTestApp(); // 2026-04-02; the world's window is 2026-04-08
    w = await newInspectionWorld(t, { cap: 20 });
    ent = as.enterprise(w.enterprise.creditCode);
  });
  afterAll(() => t.close());

  const listed = async () => ((await t.call({ method: 'GET', url: '/api/v1/inspections', as: ent })).json() as { id: string }[]).map((i) => i.id);

  it('hides drafted, approved and code-issued inspections, their code and their count until the window starts', async () => {
    const drafted = (await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w) })).json().inspection.id as string;
    const approved = await approvedInspection(t, w);
    const coded = await issuedCode(t, w);
    const ids = await listed();
    for (const id of [drafted, approved, coded.id]) {
      expect(ids).not.toContain(id);
      const one = await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: ent });
      expect(one.statusCode).toBe(404); // the same answer as an unknown inspection: the refusal tells nothing
    }
    expect((await t.call({ method: 'GET', url: `/api/v1/inspections/${coded.id}/code.png`, as: ent })).statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: `/api/v1/inspections/${coded.id}/notice.pdf`, as: ent })).statusCode).toBe(404);
    // The frequency answer does not rise when a code is issued (it would tell of the visit ahead of it).
    const freq = (who: Principal) =>
      t.call({ method: 'GET', url: `/api/v1/enterprises/${w.enterprise.creditCode}/frequency?agency=${w.agency.code}&matter=${w.matter}&date=2026-04-08`, as: who });
    const mine = (await freq(ent)).json();
    const theirs = (await freq(w.officer)).json();
    expect(mine.caps[0].used).toBe(0);
    expect(theirs.caps[0].used).toBeGreaterThan(0);
    // The agency sees all three.
    const agencyIds = ((await t.call({ method: 'GET', url: '/api/v1/inspections', as: w.officer })).json() as { id: string }[]).map((i) => i.id);
    expect(agencyIds).toEqual(expect.arrayContaining([drafted, approved, coded.id]));
  });

  it('shows the inspection from the first presentation of its code, or from the window start', async () => {
    const early = await issuedCode(t, w, { windowStart: '2026-04-20T09:00:00+08:00', windowEnd: '2026-04-20T17:00:00+08:00' });
    const later = await issuedCode(t, w, { windowStart: '2026-04-21T09:00:00+08:00', windowEnd: '2026-04-21T17:00:00+08:00' });
    expect(await listed()).not.toContain(early.id);
    // The officers present the code at the door before the window (refused as early, but presented).
    const scan = await t.call({ method: 'POST', url: `/api/v1/codes/${early.code}/scan`, as: ent, payload: {} });
    expect(scan.statusCode).toBe(422);
    expect(await listed()).toContain(early.id);
    expect(await listed()).not.toContain(later.id);
    t.clock.set('2026-04-21T09:00:00+08:00');
    expect(await listed()).toContain(later.id);
    expect((await t.call({ method: 'GET', url: `/api/v1/inspections/${later.id}`, as: ent })).statusCode).toBe(200);
    t.clock.set('2026-04-02T09:00:00+08:00');
  });

  it('never shows a case draft (a complaint lead) to the enterprise, even inside its window', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/inspections',
      as: w.officer,
      payload: draftBody(w, { kind: 'case', leadKind: 'complaint', leadRef: 'TS-2026-0402', windowStart: '2026-04-02T08:00:00+08:00', windowEnd: '2026-04-02T18:00:00+08:00' }),
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().inspection.id as string;
    expect(await listed()).not.toContain(id);
    expect((await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: ent })).statusCode).toBe(404);
  });

  it('keeps the revocation reason inside the agency and the supervisors (内部留存，不公开)', async () => {
    t.clock.set('2026-04-08T08:00:00+08:00');
    const coded = await issuedCode(t, w, { windowStart: '2026-04-08T07:00:00+08:00', windowEnd: '2026-04-08T17:00:00+08:00' });
    const reason = '投诉人张某（电话 13800000000）撤回投诉';
    expect((await t.call({ method: 'POST', url: `/api/v1/codes/${coded.code}/revoke`, as: w.head, payload: { reason } })).statusCode).toBe(200);
    const seenByEnterprise = (await t.call({ method: 'GET', url: `/api/v1/inspections/${coded.id}`, as: ent })).json();
    expect(seenByEnterprise.code.state).toBe('revoked');
    expect(seenByEnterprise.code.revokedReason).toBeNull();
    expect(JSON.stringify(seenByEnterprise)).not.toContain('13800000000');
    const seenByHead = (await t.call({ method: 'GET', url: `/api/v1/inspections/${coded.id}`, as: w.head })).json();
    expect(seenByHead.code.revokedReason).toBe(reason);
    expect((await t.call({ method: 'GET', url: `/api/v1/inspections/${coded.id}`, as: w.supervisor })).json().code.revokedReason).toBe(reason);
    t.clock.set('2026-04-02T09:00:00+08:00');
  });

  it('第十四条 the public plan list shows neither the supervisor’s login subject nor the free text of a return', async () => {
    const agency = await newAgency(t.db, { districtCode: w.districtCode, domains: ['food'] });
    await newFiledPlan(t.db, agency.code, 2026, [w.matter], {
      state: 'published',
      publishedAt: new Date('2026-03-20T02:00:00Z'),
      filedBy: 'supervisor:zhang.san@sfj',
      returnedReason: '请补充投诉人李四反映的问题',
    });
    const res = await t.call({ method: 'GET', url: `/api/v1/plans/public?agency=${agency.code}` });
    expect(res.statusCode).toBe(200);
    const [plan] = res.json();
    expect(plan).toMatchObject({ agencyCode: agency.code, filedBy: null, returnedReason: null });
    expect(res.body).not.toContain('zhang.san');
    expect(res.body).not.toContain('李四');
  });
});

describeDb('第四十条 企业报告的滥用限度：一次到访一份报告，标记有上限、按单位归并（issue 23）', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let ent: Principal;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-04-12T09:00:00+08:00', config: { reports: { maxFlagsPerReport: 6, photosPerDay: 2, photoBytesPerDay: 20 * 1024 * 1024, photoMaxBytes: 2 * 1024 * 1024 } } });
    w = await newInspectionWorld(t, { cap: 5 });
    ent = as.enterprise(w.enterprise.creditCode);
  });
  afterAll(() => t.close());

  const report = (payload: Record<string, unknown>, who: Principal = ent) => t.call({ method: 'POST', url: '/api/v1/enterprise-reports', as: who, payload });
  const ALL = ['legal_rep_required', 'gifts_or_meals', 'designated_intermediary', 'costs_shifted', 'repeated_testing'];

  it('a flood of 50 back-dated reports against another district’s agency raises a bounded, grouped set of flags', async () => {
    const far = await newAgency(t.db, { name: '武汉市汉阳区城市管理执法局', districtCode: w.otherDistrictCode, domains: ['city'] });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const day = new Date(Date.UTC(2025, 11, 1 + i, 2, 0, 0)); // 2025-12-01 onwards, one a day, all in force (Art. 43)
      const res = await report({ visitedAt: day.toISOString(), agencyCode: far.code, description: `第 ${i + 1} 次`, prohibitions: ALL });
      statuses.push(res.statusCode);
    }
    expect(statuses.every((s) => s === 201)).toBe(true);
    const open = await t.db.select().from(flags).where(and(eq(flags.enterpriseCode, w.enterprise.creditCode), eq(flags.agencyCode, far.code)));
    // The first report raises at most REPORT_MAX_FLAGS; the 49 others join those open flags.
    expect(open.length).toBeLessThanOrEqual(6);
    expect(open.length).toBeGreaterThan(0);
    for (const f of open) expect((f.evidence as { groupedReports?: string[] }).groupedReports).toHaveLength(49);
    // What the bound left out is still named for the supervisor.
    const last = open.find((f) => (f.evidence as { alsoReported?: unknown[] }).alsoReported);
    expect(last?.detail).toContain('REPORT_MAX_FLAGS');
  }, 180_000); // fifty requests: room for a shared, loaded machine (no assertion on speed)

  it('refuses a second report of the same visit, and lets a genuine report of another visit through', async () => {
    const first = await report({ visitedAt: '2026-04-10T10:00:00+08:00', agencyCode: w.agency.code, description: '未出示检查码' });
    expect(first.statusCode).toBe(201);
    const again = await report({ visitedAt: '2026-04-10T15:00:00+08:00', agencyCode: w.agency.code, description: '同一次检查，再报一次' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'REPORT_DUPLICATE_VISIT', reportId: first.json().id });
    // Another agency's visit the same day is another visit: it goes through with its own flags.
    const other = await report({ visitedAt: '2026-04-10T15:00:00+08:00', agencyCode: w.city.code, description: '市局人员到访，未出示检查码' });
    expect(other.statusCode).toBe(201);
    expect(other.json().flags.map((f: { rule: string }) => f.rule).sort()).toEqual(['ONSITE_WITHOUT_CODE']);
    // A report joining an open flag shows that flag too.
    const joined = await report({ visitedAt: '2026-04-11T10:00:00+08:00', agencyCode: w.agency.code, description: '次日又来' });
    expect(joined.statusCode).toBe(201);
    expect(joined.json().flags.map((f: { id: string }) => f.id).sort()).toEqual(first.json().flags.map((f: { id: string }) => f.id).sort());
  });

  it('holds photos to the daily quota (REPORT_PHOTOS_PER_DAY), and the report still goes through without one', async () => {
    const withPhoto = (day: string) =>
      report({ visitedAt: `2026-04-0${day}T10:00:00+08:00`, agencyText: `某单位${day}`, description: '到访', photo: { contentType: 'image/png', dataBase64: PNG_1PX } });
    expect((await withPhoto('3')).statusCode).toBe(201);
    expect((await withPhoto('4')).statusCode).toBe(201);
    const third = await withPhoto('5');
    expect(third.statusCode).toBe(422);
    expect(third.json()).toMatchObject({ code: 'REPORT_PHOTO_QUOTA' });
    expect(third.json().detail).toContain('REPORT_PHOTOS_PER_DAY');
    expect((await report({ visitedAt: '2026-04-05T10:00:00+08:00', agencyText: '某单位5', description: '到访' })).statusCode).toBe(201);
  });

  it('第十七条 records a non-party enterprise’s scan of a code once per code and enterprise', async () => {
    const coded = await issuedCode(t, w, { windowStart: '2026-04-12T08:00:00+08:00', windowEnd: '2026-04-12T17:00:00+08:00' });
    const stranger = as.enterprise(w.outsider.creditCode);
    for (let i = 0; i < 5; i++) {
      const res = await t.call({ method: 'POST', url: `/api/v1/codes/${coded.code}/scan`, as: stranger, payload: {} });
      expect(res.statusCode).toBe(404); // what an unknown code answers
    }
    const [scans] = await t.db.select({ n: count() }).from(codeScans).where(and(eq(codeScans.code, coded.code), eq(codeScans.atEnterprise, w.outsider.creditCode)));
    expect(scans!.n).toBe(1);
    const [entries] = await t.db.select({ n: count() }).from(auditEntries).where(and(eq(auditEntries.subjectId, coded.id), eq(auditEntries.action, 'code.scan_refused')));
    expect(entries!.n).toBe(1);
    const raised = await t.db.select().from(flags).where(and(eq(flags.subjectId, coded.id), eq(flags.rule, 'CODE_OUTSIDE_WINDOW')));
    expect(raised).toHaveLength(1);
  });
});

describeDb('输入与契约：坏行单独退回、越界数值、严格类型、令牌时间、幂等键归属（issue 23）', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 20 });
  });
  afterAll(() => t.close());

  const row = (over: Record<string, unknown> = {}) => ({
    sourceId: 'TB-0001',
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

  it('第四十三条 refuses a bad NDJSON or CSV row alone, with its line number: NUL, lone surrogate, bytes not UTF-8, a date before 2025-12-01', async () => {
    const p = await registerPlatform(t, { importAgencies: [w.agency.code] });
    const post = (body: string | Buffer, type: string) => t.call({ method: 'POST', url: '/api/v1/imports/inspections', headers: { ...p.headers, 'content-type': type }, payload: body });
    const lines = [
      JSON.stringify(row({ sourceId: 'TB-OK-1' })),
      JSON.stringify(row({ sourceId: 'TB-NUL', matterCodes: ['A\u0000B'] })),
      '{"sourceId":"TB-SURROGATE","agencyCode":"\\ud800"}',
      JSON.stringify(row({ sourceId: 'TB-OLD', windowStart: '0001-01-01T09:00:00+08:00', windowEnd: '0001-01-01T12:00:00+08:00' })),
      JSON.stringify(row({ sourceId: 'TB-NOV', windowStart: '2025-11-30T09:00:00+08:00', windowEnd: '2025-11-30T12:00:00+08:00' })),
      JSON.stringify(row({ sourceId: 'TB-OK-2', windowStart: '2026-03-11T09:00:00+08:00', windowEnd: '2026-03-11T12:00:00+08:00' })),
    ];
    const res = await post(lines.join('\n'), 'application/x-ndjson');
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ created: 2, refused: 4 });
    const byLine = new Map<number, { status: string; errors?: { field: string; message: string }[] }>(report.rows.map((r: { line: number }) => [r.line, r]));
    expect([1, 6].map((l) => byLine.get(l)!.status)).toEqual(['created', 'created']);
    for (const l of [2, 3, 4, 5]) expect(byLine.get(l)!.status).toBe('refused');
    expect(JSON.stringify(byLine.get(4)!.errors)).toContain('第四十三条');
    expect(JSON.stringify(byLine.get(5)!.errors)).toContain('windowStart');

    // CSV: a row with bytes that are not UTF-8 is refused alone, never stored as U+FFFD.
    const header = 'sourceId,agencyCode,enterpriseCode,kind,mode,matterCodes,windowStart,windowEnd,sourceCode';
    const csvRow = (id: string, name: string) => `${id},${w.agency.code},${w.enterprise.creditCode},routine,onsite,${w.matter},2026-03-12T09:00:00+08:00,2026-03-12T12:00:00+08:00,${name}`;
    const csv = Buffer.concat([Buffer.from(`${header}\n${csvRow('TB-CSV-1', 'C1')}\n`), Buffer.from(csvRow('TB-CSV-BAD', 'C')), Buffer.from([0xff, 0xfe]), Buffer.from(`\n${csvRow('TB-CSV-2', 'C2')}\n`)]);
    const out = await post(csv, 'text/csv');
    expect(out.statusCode).toBe(200);
    expect(out.json()).toMatchObject({ created: 2, refused: 1 });
    expect(out.json().rows.find((r: { line: number }) => r.line === 3)).toMatchObject({ status: 'refused' });
    const stored = await t.db.select({ sourceCode: inspections.sourceCode }).from(inspections).where(eq(inspections.enterpriseCode, w.enterprise.creditCode));
    expect(stored.some((s) => (s.sourceCode ?? '').includes('\ufffd'))).toBe(false);
  });

  it('answers 400 naming the field for an integer out of range, and 200 at the top of the range', async () => {
    const top = await t.call({ method: 'GET', url: '/.well-known/audit-checkpoints?after=2147483647' });
    expect(top.statusCode).toBe(200);
    expect(top.json().checkpoints).toEqual([]);
    for (const q of ['after=2147483648', 'after=-1', 'limit=1001', 'after=1e309']) {
      const res = await t.call({ method: 'GET', url: `/.well-known/audit-checkpoints?${q}` });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.json().errors)).toContain(`querystring.${q.split('=')[0]}`);
    }
  });

  it('answers 405 naming the allowed methods when a literal path is called with a method only a parametric sibling has', async () => {
    const doc = (await t.call({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const paths = Object.keys(doc.paths);
    const matches = (param: string, lit: string) => {
      const a = param.split('/');
      const b = lit.split('/');
      return a.length === b.length && a.every((seg, i) => seg === b[i] || /^\{.+\}$/.test(seg));
    };
    let checked = 0;
    for (const lit of paths.filter((p) => !p.includes('{'))) {
      for (const param of paths.filter((p) => p.includes('{') && matches(p, lit))) {
        for (const method of Object.keys(doc.paths[param]!).filter((m) => !(m in doc.paths[lit]!))) {
          const res = await t.call({ method: method.toUpperCase() as 'POST', url: lit, as: w.head, payload: method === 'get' || method === 'delete' ? undefined : {} });
          expect(res.statusCode, `${method} ${lit}`).toBe(405);
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(res.headers.allow).toBeTruthy();
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('refuses wrong-typed bodies instead of converting them', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ matterCodes: [false] }, 'body.matterCodes.0'],
      [{ matterCodes: w.matter }, 'body.matterCodes'],
      [{ inspectors: 'x' }, 'body.inspectors'],
    ];
    const countNow = async () => (await t.db.select({ n: count() }).from(inspections).where(eq(inspections.enterpriseCode, w.enterprise.creditCode)))[0]!.n;
    const before = await countNow();
    for (const [over, field] of cases) {
      const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, over) });
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json().errors)).toContain(field);
    }
    expect(await countNow()).toBe(before);
  });

  it('refuses a token issued in the future beyond the clock skew, and accepts one within it', async () => {
    const sign = (issuedAhead: number) =>
      createSigner({
        key: t.devKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        algorithm: 'EdDSA',
        kid: DEV_KEY_ID,
        iss: DEV_ISSUER,
        expiresIn: 600_000,
        clockTimestamp: Date.now() + issuedAhead * 1000,
      })({ ...w.officer });
    const ahead = await t.app.inject({ method: 'GET', url: '/api/v1/inspections', headers: { authorization: `Bearer ${sign(3600)}` } });
    expect(ahead.statusCode).toBe(401);
    expect(ahead.json().detail).toContain('时钟误差');
    const within = await t.app.inject({ method: 'GET', url: '/api/v1/inspections', headers: { authorization: `Bearer ${sign(5)}` } });
    expect(within.statusCode).toBe(200);
  });

  it('replays an Idempotency-Key only to the same subject in the same role and agency', async () => {
    const other = await newAgency(t.db, { districtCode: w.districtCode, domains: ['food'] });
    const key = 'tb-idem-0001';
    const body = draftBody(w);
    const first = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: body, headers: { 'idempotency-key': key } });
    expect(first.statusCode).toBe(201);
    const replay = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: body, headers: { 'idempotency-key': key } });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    // The same login subject, now in another agency: no replay of the first agency's answer; the command runs under its scope checks.
    const moved: Principal = { ...w.officer, agency: other.code };
    const elsewhere = await t.call({ method: 'POST', url: '/api/v1/inspections', as: moved, payload: body, headers: { 'idempotency-key': key } });
    expect(elsewhere.headers['idempotent-replayed']).not.toBe('true');
    expect(elsewhere.statusCode).toBe(403);
  });
});
