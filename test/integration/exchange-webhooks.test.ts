import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/config/config.js';
import { verifyWebhook } from '../../src/exchange/webhook-signature.js';
import { deliverWebhooks } from '../../src/exchange/webhooks.js';
import { as } from '../support/factories.js';
import { readWholeFeed, registerPlatform, type RegisteredPlatform } from '../support/exchange-factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb, pgAvailable } from '../support/test-database.js';
import type { FetchLike } from '../../src/exchange/webhooks.js';

/** A subscriber's receiver on the loopback: answers 503 while down, de-duplicates by webhook-id when up. */
class Receiver {
  up = false;
  attempts = 0;
  accepted: { id: string; type: string; verified: boolean }[] = [];
  server!: Server;
  secret = '';
  url = '';
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        this.attempts += 1;
        if (!this.up) {
          res.writeHead(503).end();
          return;
        }
        const id = String(req.headers['webhook-id']);
        const verified = verifyWebhook(this.secret, id, Number(req.headers['webhook-timestamp']), body, String(req.headers['webhook-signature']));
        this.accepted.push({ id, type: JSON.parse(body).type, verified });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/wuhan`;
    return this.url;
  }
  stop() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

const signedFor = (secret: string, init: Parameters<FetchLike>[1]) =>
  verifyWebhook(secret, init.headers['webhook-id']!, Number(init.headers['webhook-timestamp']), init.body, init.headers['webhook-signature']!);

describeDb('第八条、第二十九条 信息共享：签名推送、失败重试与退避、每个订阅方的推送状态', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let sub: RegisteredPlatform;
  const receiver = new Receiver();
  const settings = { ...defaultSettings().exchange, allowPrivate: true, backoffBaseMs: 10_000, backoffMaxMs: 60_000, webhookTimeoutMs: 2000 };
  const state = async () => (await t.call({ method: 'GET', url: `/api/v1/platform-clients/${sub.id}`, as: as.admin() })).json().delivery;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 100 });
    const url = await receiver.start();
    sub = await registerPlatform(t, { webhookUrl: url, eventTypes: ['inspection.'] });
    receiver.secret = sub.webhookSecret!;
    expect(sub.webhookSecret).toMatch(/^whsec_/);
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('a receiver that is down for a while gets every event exactly once after it comes back, in feed order, signed', async () => {
    await approvedInspection(t, w);
    await approvedInspection(t, w);
    // Down: the first attempt fails and the next is scheduled after the back-off, not hammered.
    expect(await deliverWebhooks(t.db, t.clock, settings)).toEqual([{ clientId: sub.id, delivered: 0, failed: true }]);
    const first = await state();
    expect(first).toMatchObject({ failures: 1, lastStatus: 503, lastError: 'HTTP 503', delivered: 0, cursor: '0' });
    expect(new Date(first.nextAttemptAt).getTime() - t.clock.now().getTime()).toBe(10_000);
    await deliverWebhooks(t.db, t.clock, settings);
    expect(receiver.attempts).toBe(1);
    t.clock.advance(10_000);
    await deliverWebhooks(t.db, t.clock, settings);
    const second = await state();
    expect(second.failures).toBe(2);
    expect(new Date(second.nextAttemptAt).getTime() - t.clock.now().getTime()).toBe(20_000);

    // More changes while it is down; then it comes back.
    await approvedInspection(t, w);
    receiver.up = true;
    t.clock.advance(20_000);
    await deliverWebhooks(t.db, t.clock, settings);
    await deliverWebhooks(t.db, t.clock, settings);

    const expected = (await readWholeFeed(t, sub)).events;
    expect(expected.length).toBe(6); // three inspections, each drafted and approved
    expect(receiver.accepted.map((a) => a.id)).toEqual(expected.map((e) => e.id));
    expect(new Set(receiver.accepted.map((a) => a.id)).size).toBe(receiver.accepted.length);
    expect(receiver.accepted.every((a) => a.verified && a.type.startsWith('cn.gov.wuhan.order327.inspection.'))).toBe(true);
    expect(await state()).toMatchObject({ failures: 0, lastStatus: 204, lastError: null, delivered: expected.length, cursor: expected.at(-1)!.sequence });
  });

  it('sends only what is new on the next pass, and nothing to a stopped subscriber', async () => {
    receiver.up = true;
    t.clock.advance(3_600_000); // past any back-off left by an earlier test
    await deliverWebhooks(t.db, t.clock, settings);
    const before = receiver.accepted.length;
    await deliverWebhooks(t.db, t.clock, settings);
    expect(receiver.accepted.length).toBe(before);
    await approvedInspection(t, w);
    await deliverWebhooks(t.db, t.clock, settings);
    expect(receiver.accepted.length).toBeGreaterThan(before);
    expect(new Set(receiver.accepted.map((a) => a.id)).size).toBe(receiver.accepted.length);
    await t.call({ method: 'PATCH', url: `/api/v1/platform-clients/${sub.id}`, as: as.admin(), payload: { active: false } });
    const stopped = receiver.accepted.length;
    await approvedInspection(t, w);
    await deliverWebhooks(t.db, t.clock, settings);
    expect(receiver.accepted.length).toBe(stopped);
  });

  it('an acknowledgement lost on the way back re-sends the same webhook-id, which the receiver de-duplicates', async () => {
    const lossy = await registerPlatform(t, { webhookUrl: receiver.url, eventTypes: ['inspection.'] });
    const seen = new Map<string, number>();
    let lost = false;
    const fetchOnce: FetchLike = async (url, init) => {
      // Other subscribers' deliveries (when this test runs after others, or alone) pass untouched.
      if (!signedFor(lossy.webhookSecret!, init)) return { status: 204 };
      const res = await fetch(url, init);
      seen.set(init.headers['webhook-id']!, (seen.get(init.headers['webhook-id']!) ?? 0) + 1);
      // The receiver took the first event, but its answer never arrives (connection dropped, process killed).
      if (!lost) {
        lost = true;
        throw new Error('socket hang up');
      }
      return res;
    };
    // The receiver verifies with this subscriber's secret for this test.
    const before = receiver.secret;
    receiver.secret = lossy.webhookSecret!;
    receiver.up = true;
    await approvedInspection(t, w);
    await deliverWebhooks(t.db, t.clock, settings, fetchOnce);
    t.clock.advance(10_000);
    await deliverWebhooks(t.db, t.clock, settings, fetchOnce);
    receiver.secret = before;
    const resent = [...seen.entries()].filter(([, n]) => n > 1).map(([id]) => id);
    expect(resent).toHaveLength(1);
    const feed = (await readWholeFeed(t, lossy)).events.map((e) => e.id);
    expect([...seen.keys()]).toEqual(feed);
    const state = (await t.call({ method: 'GET', url: `/api/v1/platform-clients/${lossy.id}`, as: as.admin() })).json().delivery;
    expect(state).toMatchObject({ failures: 0, delivered: feed.length });
  });

  it.runIf(pgAvailable())('two instances delivering at once send each event once: a subscriber is leased to one [pg]', async () => {
    const shared = await registerPlatform(t, { webhookUrl: receiver.url, eventTypes: ['inspection.'] });
    const counts = new Map<string, number>();
    const counting: FetchLike = async (_url, init) => {
      if (!signedFor(shared.webhookSecret!, init)) return { status: 204 };
      counts.set(init.headers['webhook-id']!, (counts.get(init.headers['webhook-id']!) ?? 0) + 1);
      return { status: 204 };
    };
    await Promise.all([deliverWebhooks(t.db, t.clock, settings, counting), deliverWebhooks(t.db, t.clock, settings, counting)]);
    const feed = (await readWholeFeed(t, shared)).events.map((e) => e.id);
    expect(feed.length).toBeGreaterThan(0);
    for (const id of feed) expect(counts.get(id)).toBe(1);
  });

  it('a receiver that cannot be reached at all is a failure with its cause, retried later', async () => {
    const gone = await registerPlatform(t, { webhookUrl: 'http://127.0.0.1:9/unreachable', eventTypes: ['inspection.'] });
    await approvedInspection(t, w);
    await deliverWebhooks(t.db, t.clock, settings);
    const res = (await t.call({ method: 'GET', url: `/api/v1/platform-clients/${gone.id}`, as: as.admin() })).json();
    expect(res.delivery).toMatchObject({ failures: 1, lastStatus: null, delivered: 0 });
    expect(res.delivery.lastError).toBeTruthy();
  });
});
