import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../src/config/config.js';
import { deliverWebhooks, WebhookDispatcher } from '../../src/exchange/webhooks.js';
import { as } from '../support/factories.js';
import { readWholeFeed, registerPlatform, type RegisteredPlatform } from '../support/exchange-factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, testConfig, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * A receiver on the loopback whose answer each test chooses: `answer` returns a status, or null to hold the
 * request open until `release()` (a slow or hung receiver). It records what arrived and what was aborted.
 */
class Receiver {
  received: string[] = [];
  aborted = 0;
  answered = 0;
  url = '';
  answer: (id: string, res: ServerResponse) => number | null = () => 204;
  private held: (() => void)[] = [];
  private server!: Server;

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        const id = String(req.headers['webhook-id']);
        this.received.push(id);
        const status = this.answer(id, res);
        if (status !== null) {
          this.answered += 1;
          if (!res.headersSent) res.writeHead(status).end();
          return;
        }
        res.on('close', () => {
          if (!res.writableEnded) this.aborted += 1;
        });
        this.held.push(() => {
          this.answered += 1;
          if (!res.destroyed) res.writeHead(204).end();
        });
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  get pending(): number {
    return this.held.length;
  }

  release(): void {
    for (const r of this.held.splice(0)) r();
  }

  stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

const receivers: Receiver[] = [];
const receiver = async () => {
  const r = await new Receiver().start();
  receivers.push(r);
  return r;
};

describeDb('第八条、第二十九条 推送的安全边界：推送地址、重定向、互不阻塞、停用即停、关闭有时限、死信', () => {
  let t: TestApp;
  let strict: TestApp;
  let w: InspectionWorld;
  const settings = { ...defaultSettings().exchange, allowPrivate: true, backoffBaseMs: 1000, backoffMaxMs: 1000, webhookTimeoutMs: 60_000, maxAttempts: 3 };
  const deliveryOf = async (id: string) => (await t.call({ method: 'GET', url: `/api/v1/platform-clients/${id}`, as: as.admin() })).json().delivery;
  const feedIds = async (p: RegisteredPlatform) => (await readWholeFeed(t, p)).events.map((e) => e.id);

  beforeAll(async () => {
    t = await createTestApp();
    // The production default: WEBHOOK_ALLOW_PRIVATE unset.
    strict = await createTestApp({ testDb: t.testDb, config: { exchange: { ...testConfig().exchange, allowPrivate: false } } });
    w = await newInspectionWorld(t, { cap: 100 });
    await approvedInspection(t, w);
    await approvedInspection(t, w);
    // Two apps and a world: on a busy machine this takes longer than one app's usual minute.
  }, 180_000);
  afterAll(async () => {
    for (const r of receivers) await r.stop();
    await strict.close();
    await t.close();
  });

  describe('the destination is checked where it is registered and where it is sent', () => {
    const refused = [
      'http://127.0.0.1:8080/hook',
      'http://2130706433/hook',
      'http://0x7f.1/hook',
      'http://017700000001/hook',
      'http://127.1/hook',
      'http://0/hook',
      'http://localhost:8080/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::ffff:7f00:1]/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/hook',
      'http://10.0.0.5/hook',
      'http://172.16.0.1/hook',
      'http://192.168.1.1/hook',
      'http://100.64.0.1/hook',
      'http://[fd00::1]/hook',
      'http://[64:ff9b::a9fe:a9fe]/hook',
      'http://[2002:7f00:1::]/hook',
    ];
    for (const url of refused) {
      it(`refuses ${url} with a 400 naming body.webhookUrl`, async () => {
        const res = await strict.call({ method: 'POST', url: '/api/v1/platform-clients', as: as.admin(), payload: { id: `ssrf-${refused.indexOf(url)}`, name: '探测', sourceSystem: `SSRF-${refused.indexOf(url)}`, webhookUrl: url } });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.webhookUrl' })]);
        expect(res.json().detail).toContain('允许推送到内网地址');
      });
    }

    it('accepts a public address, and refuses a private one in a change as well', async () => {
      const ok = await strict.call({ method: 'POST', url: '/api/v1/platform-clients', as: as.admin(), payload: { id: 'public-hook', name: '公网接收方', sourceSystem: 'PUBLIC-HOOK', webhookUrl: 'https://8.8.8.8/hook' } });
      expect(ok.statusCode).toBe(201);
      const change = await strict.call({ method: 'PATCH', url: '/api/v1/platform-clients/public-hook', as: as.admin(), payload: { webhookUrl: 'http://169.254.169.254/' } });
      expect(change.statusCode).toBe(400);
      expect(change.json().errors).toEqual([expect.objectContaining({ field: 'body.webhookUrl' })]);
      // Deactivate it: nothing in these tests should try to reach the public address.
      await strict.call({ method: 'PATCH', url: '/api/v1/platform-clients/public-hook', as: as.admin(), payload: { active: false } });
    });

    it('checks again at delivery (DNS can change): an address allowed when registered but not now gets nothing', async () => {
      const r = await receiver();
      const sub = await registerPlatform(t, { webhookUrl: r.url, eventTypes: ['inspection.'] });
      await deliverWebhooks(t.db, t.clock, { ...settings, allowPrivate: false });
      expect(r.received).toEqual([]);
      expect(await deliveryOf(sub.id)).toMatchObject({ failures: 1, delivered: 0, cursor: '0', lastStatus: null });
      expect((await deliveryOf(sub.id)).lastError).toContain('address refused: 127.0.0.1 (loopback)');
      await t.call({ method: 'PATCH', url: `/api/v1/platform-clients/${sub.id}`, as: as.admin(), payload: { active: false } });
    });
  });

  it('follows no redirect: a 3xx is a failed delivery and the signed body is not re-posted', async () => {
    const elsewhere = await receiver();
    const redirecting = await receiver();
    redirecting.answer = (_id, res) => {
      res.writeHead(307, { location: elsewhere.url }).end();
      return 307;
    };
    const sub = await registerPlatform(t, { webhookUrl: redirecting.url, eventTypes: ['inspection.'] });
    await deliverWebhooks(t.db, t.clock, settings);
    expect(redirecting.received).toHaveLength(1);
    expect(elsewhere.received).toEqual([]);
    expect(await deliveryOf(sub.id)).toMatchObject({ failures: 1, lastStatus: 307, lastError: 'HTTP 307', delivered: 0 });
    await t.call({ method: 'PATCH', url: `/api/v1/platform-clients/${sub.id}`, as: as.admin(), payload: { active: false } });
  });

  it('a slow receiver does not hold back another subscriber: the fast one is served while the slow one is still waiting', async () => {
    const slow = await receiver();
    slow.answer = () => null;
    const fast = await receiver();
    const slowSub = await registerPlatform(t, { webhookUrl: slow.url, eventTypes: ['inspection.'] });
    const fastSub = await registerPlatform(t, { webhookUrl: fast.url, eventTypes: ['inspection.'] });
    const expected = await feedIds(fastSub);
    expect(expected.length).toBeGreaterThan(1);

    const pass = deliverWebhooks(t.db, t.clock, settings);
    try {
      // The fast receiver's last answer is recorded just after it arrives: wait for both, not the request alone.
      await vi.waitFor(
        async () => {
          expect(fast.received).toEqual(expected);
          expect((await deliveryOf(fastSub.id)).delivered).toBe(expected.length);
        },
        { timeout: 20_000, interval: 20 },
      );
      // Every event reached the fast receiver, and was recorded, while the slow one still holds its first.
      expect(slow.received).toHaveLength(1);
      expect(slow.pending).toBe(1);
    } finally {
      // The slow receiver answers one at a time; its events follow, in order. Released even when an
      // expectation above failed, so the pass ends inside this file and never writes into the next one's database.
      slow.answer = () => 204;
      slow.release();
      await pass;
    }
    await deliverWebhooks(t.db, t.clock, settings);
    expect(slow.received).toEqual(await feedIds(slowSub));
    for (const s of [slowSub, fastSub]) await t.call({ method: 'PATCH', url: `/api/v1/platform-clients/${s.id}`, as: as.admin(), payload: { active: false } });
  });

  it('a subscriber deactivated mid-batch stops at once: its request in flight is aborted and no further event is sent', async () => {
    const r = await receiver();
    r.answer = () => null;
    const sub = await registerPlatform(t, { webhookUrl: r.url, eventTypes: ['inspection.'] });
    expect((await feedIds(sub)).length).toBeGreaterThan(1);
    // The server's own dispatcher, which the admin route stops.
    const pass = t.app.services.webhooks.run();
    await vi.waitFor(() => expect(r.pending).toBe(1), { timeout: 20_000, interval: 20 });
    const res = await t.call({ method: 'PATCH', url: `/api/v1/platform-clients/${sub.id}`, as: as.admin(), payload: { active: false } });
    expect(res.statusCode).toBe(200);
    await pass;
    await vi.waitFor(() => expect(r.aborted).toBe(1), { timeout: 20_000, interval: 20 });
    expect(r.received).toHaveLength(1);
    expect(r.answered).toBe(0);
    // Stopping is not the receiver's failure, and nothing counts as delivered.
    expect(await deliveryOf(sub.id)).toMatchObject({ delivered: 0, failures: 0, cursor: '0' });
    await t.app.services.webhooks.run();
    expect(r.received).toHaveLength(1);
  });

  it('an event refused WEBHOOK_MAX_ATTEMPTS times is dead-lettered and the rest flow; the admin lists it, sends it again, and moves the cursor', async () => {
    const r = await receiver();
    const sub = await registerPlatform(t, { webhookUrl: r.url, eventTypes: ['inspection.'] });
    const ids = await feedIds(sub);
    const poison = ids[0]!;
    r.answer = (id) => (id === poison ? 422 : 204);
    const dispatcher = new WebhookDispatcher(t.db, t.clock, settings);

    for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
      expect((await deliveryOf(sub.id)).delivered).toBe(0);
      await dispatcher.run();
      t.clock.advance(settings.backoffMaxMs);
    }
    expect(r.received.filter((id) => id === poison)).toHaveLength(settings.maxAttempts);
    const letters = (await t.call({ method: 'GET', url: `/api/v1/platform-clients/${sub.id}/dead-letters`, as: as.admin() })).json();
    expect(letters).toEqual([expect.objectContaining({ eventId: poison, attempts: settings.maxAttempts, lastStatus: 422, lastError: 'HTTP 422', redeliveredAt: null })]);
    const poisonPosition = letters[0].position as string;
    expect((await deliveryOf(sub.id)).cursor).toBe(poisonPosition);

    // The rest flow past it.
    await dispatcher.run();
    expect(r.received.filter((id) => id !== poison)).toEqual(ids.slice(1));
    expect((await deliveryOf(sub.id)).delivered).toBe(ids.length - 1);

    // Sent again while the receiver still refuses it: recorded, still pending.
    const retryUrl = `/api/v1/platform-clients/${sub.id}/dead-letters/${poisonPosition}/retry`;
    const again = await t.call({ method: 'POST', url: retryUrl, as: as.admin() });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ delivered: false, deadLetter: { attempts: settings.maxAttempts + 1, lastStatus: 422, redeliveredAt: null } });
    // The receiver is fixed: sent again, taken, and no longer pending.
    r.answer = () => 204;
    const taken = await t.call({ method: 'POST', url: retryUrl, as: as.admin() });
    expect(taken.json()).toMatchObject({ delivered: true, deadLetter: { lastStatus: 204, lastError: null } });
    expect(taken.json().deadLetter.redeliveredAt).not.toBeNull();
    expect((await t.call({ method: 'GET', url: `/api/v1/platform-clients/${sub.id}/dead-letters?pending=true`, as: as.admin() })).json()).toEqual([]);
    expect((await t.call({ method: 'POST', url: `/api/v1/platform-clients/${sub.id}/dead-letters/999999/retry`, as: as.admin() })).statusCode).toBe(404);

    // Moving the cursor back to the start has every event sent again, in order.
    const before = r.received.length;
    const moved = await t.call({ method: 'PUT', url: `/api/v1/platform-clients/${sub.id}/cursor`, as: as.admin(), payload: { cursor: '0' } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toEqual({ cursor: '0' });
    expect(await deliveryOf(sub.id)).toMatchObject({ cursor: '0', failures: 0 });
    await dispatcher.run();
    expect(r.received.slice(before)).toEqual(ids);
    const bad = await t.call({ method: 'PUT', url: `/api/v1/platform-clients/${sub.id}/cursor`, as: as.admin(), payload: { cursor: 'abc' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toContain('cursor');
    // Only the admin keeps the registry.
    expect((await t.call({ method: 'GET', url: `/api/v1/platform-clients/${sub.id}/dead-letters`, as: w.officer })).statusCode).toBe(403);
    await t.call({ method: 'PATCH', url: `/api/v1/platform-clients/${sub.id}`, as: as.admin(), payload: { active: false } });
  });

  it('closing the app does not wait for a receiver that never answers', async () => {
    const hung = await receiver();
    hung.answer = () => null;
    // A second instance on the same database, whose time limit is far beyond this test's.
    const other = await createTestApp({ testDb: t.testDb, config: { exchange: { ...testConfig().exchange, webhookTimeoutMs: 120_000 } } });
    await registerPlatform(other, { webhookUrl: hung.url, eventTypes: ['inspection.'] });
    const pass = other.app.services.webhooks.run();
    await vi.waitFor(() => expect(hung.pending).toBe(1), { timeout: 20_000, interval: 20 });
    await other.close();
    await pass;
    // Closed while the receiver still had not answered: the request was aborted, not waited out.
    expect(hung.answered).toBe(0);
    await vi.waitFor(() => expect(hung.aborted).toBe(1), { timeout: 20_000, interval: 20 });
  });
});
