import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/audit/append.js';
import { runCommand } from '../../src/commands/command.js';
import { as } from '../support/factories.js';
import { readWholeFeed, registerPlatform, type RegisteredPlatform } from '../support/exchange-factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { anotherInstance, createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb, pgAvailable } from '../support/test-database.js';

describeDb('第八条、第二十九条 检查信息共享：事件发件箱与拉取接口', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let all: RegisteredPlatform;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 100 });
    all = await registerPlatform(t);
    for (let i = 0; i < 3; i++) await approvedInspection(t, w);
  });
  afterAll(() => t.close());

  it('offers every audited change as one CloudEvent, in the JSON envelope', async () => {
    const { events } = await readWholeFeed(t, all);
    const audited = await t.db.execute<{ n: string }>(sql`SELECT count(*)::text AS n FROM audit_entries`);
    expect(events).toHaveLength(Number((audited as unknown as { rows: { n: string }[] }).rows[0]!.n));
    const drafted = events.find((e) => e.type === 'cn.gov.wuhan.order327.inspection.drafted')!;
    expect(drafted).toMatchObject({ specversion: '1.0', source: '/wuhan-327', datacontenttype: 'application/json' });
    expect(drafted.subject).toMatch(/^inspection\//);
    expect(drafted.data).toMatchObject({ agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, after: 'draft', actorRole: 'officer' });
    expect(drafted.data.facts).toMatchObject({ kind: 'routine', mode: 'onsite', matterCodes: [w.matter] });
  });

  it('carries no personal data: no inspector names or certificate numbers, no actor ids (Art. 8)', async () => {
    const { events } = await readWholeFeed(t, all);
    const text = JSON.stringify(events);
    for (const secret of ['王晓明', '陈丽华', '42010620230001', `officer:${w.agency.code}`, `head:${w.agency.code}`]) expect(text).not.toContain(secret);
  });

  it('a consumer resuming from its cursor, page by page, gets every event once: no gap, no duplicate', async () => {
    const whole = (await readWholeFeed(t, all)).events.map((e) => e.id);
    const paged = await readWholeFeed(t, all, { limit: 2 });
    expect(paged.events.map((e) => e.id)).toEqual(whole);
    // Later changes appear after the cursor the consumer holds, and only they.
    await approvedInspection(t, w);
    const resumed = await readWholeFeed(t, all, { after: paged.next, limit: 3 });
    expect(resumed.events.length).toBeGreaterThan(0);
    expect(resumed.events.filter((e) => whole.includes(e.id))).toEqual([]);
    const again = await readWholeFeed(t, all);
    expect(again.events.map((e) => e.id)).toEqual([...whole, ...resumed.events.map((e) => e.id)]);
  });

  it('the outbox refuses UPDATE and DELETE in the database itself, as the audit log does', async () => {
    await expect(t.db.execute(sql`UPDATE domain_events SET action = 'x'`)).rejects.toThrow();
    await expect(t.db.execute(sql`DELETE FROM domain_events`)).rejects.toThrow();
  });

  it('a command that rolls back leaves no event; one that commits leaves exactly its own', async () => {
    const ctx = { db: t.db, clock: t.clock, auditMac: t.app.services.auditMac, actor: as.admin() };
    await expect(
      runCommand(ctx, null as never, async (_tx, { audit }) => {
        await audit({ action: 'test.rolled_back', subjectType: 'test', subjectId: 'x' });
        throw new Error('fails after writing');
      }),
    ).rejects.toThrow('fails after writing');
    await runCommand(ctx, null as never, ({}, { audit }) => audit({ action: 'test.committed', subjectType: 'test', subjectId: 'y' }));
    const { events } = await readWholeFeed(t, all);
    expect(events.filter((e) => e.type.endsWith('test.rolled_back'))).toEqual([]);
    expect(events.filter((e) => e.type.endsWith('test.committed'))).toHaveLength(1);
  });

  it('an event committed before the process stops is there for the next process (the outbox is the database)', async () => {
    const before = (await readWholeFeed(t, all)).next;
    await approvedInspection(t, w);
    const other = await anotherInstance(t);
    try {
      const after = await readWholeFeed(other, all, { after: before });
      expect(after.events.some((e) => e.type.endsWith('inspection.approved'))).toBe(true);
    } finally {
      await other.app.close();
    }
  });

  describe('each client receives only its scope', () => {
    it('by event type and by agency', async () => {
      const flagsOnly = await registerPlatform(t, { eventTypes: ['inspection.approved'] });
      const approved = (await readWholeFeed(t, flagsOnly)).events;
      expect(approved.length).toBeGreaterThan(0);
      expect(approved.every((e) => e.type === 'cn.gov.wuhan.order327.inspection.approved')).toBe(true);
      const elsewhere = await registerPlatform(t, { agencies: [w.city.code] });
      expect((await readWholeFeed(t, elsewhere)).events).toEqual([]);
    });

    it('a stopped client, a wrong key and a platform token of an unregistered client get nothing', async () => {
      const stopped = await registerPlatform(t);
      await t.call({ method: 'PATCH', url: `/api/v1/platform-clients/${stopped.id}`, as: as.admin(), payload: { active: false } });
      expect((await t.call({ method: 'GET', url: '/api/v1/events', headers: stopped.headers })).statusCode).toBe(401);
      const wrong = `Bearer ${all.key.slice(0, -4)}AAAA`;
      expect((await t.call({ method: 'GET', url: '/api/v1/events', headers: { authorization: wrong } })).statusCode).toBe(401);
      const res = await t.call({ method: 'GET', url: '/api/v1/events', as: as.platform('nobody') });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('OUT_OF_SCOPE');
    });

    it('a malformed cursor is a 400 naming the field', async () => {
      const res = await t.call({ method: 'GET', url: '/api/v1/events?after=abc', headers: all.headers });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('querystring.after');
    });
  });

  it.runIf(pgAvailable())('an event of a transaction still running is offered after it commits, behind the cursor already handed out, never skipped [pg]', async () => {
    const start = (await readWholeFeed(t, all)).next;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let written!: () => void;
    const wrote = new Promise<void>((r) => (written = r));
    const slow = t.db.transaction(async (tx) => {
      await appendAudit(tx, { at: t.clock.now(), actor: 'test', role: 'admin', action: 'test.slow', subjectType: 'test', subjectId: 'slow' });
      written();
      await gate;
    });
    await wrote;
    await appendAudit(t.db, { at: t.clock.now(), actor: 'test', role: 'admin', action: 'test.fast', subjectType: 'test', subjectId: 'fast' });
    const during = await readWholeFeed(t, all, { after: start });
    expect(during.events.map((e) => e.type.replace('cn.gov.wuhan.order327.', ''))).toEqual(['test.fast']);
    release();
    await slow;
    const after = await readWholeFeed(t, all, { after: during.next });
    expect(after.events.map((e) => e.type.replace('cn.gov.wuhan.order327.', ''))).toEqual(['test.slow']);
  });
});
