import { as } from './factories.js';
import type { TestApp } from './test-app.js';

export interface RegisteredPlatform {
  id: string;
  key: string;
  webhookSecret: string | null;
  /** Headers for a call made with the platform's own key. */
  headers: { authorization: string };
}

let n = 0;

/** Registers a machine client through the admin route, as an operator would, and returns its key. */
export async function registerPlatform(t: TestApp, over: Record<string, unknown> = {}): Promise<RegisteredPlatform> {
  n += 1;
  const res = await t.call({
    method: 'POST',
    url: '/api/v1/platform-clients',
    as: as.admin(),
    payload: { id: `platform-${n}`, name: `湖北省行政执法监督平台${n}`, sourceSystem: `HB-${n}`, ...over },
  });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.body}`);
  const body = res.json();
  return { id: body.client.id, key: body.key, webhookSecret: body.webhookSecret, headers: { authorization: `Bearer ${body.key}` } };
}

export interface FeedEvent {
  id: string;
  type: string;
  subject: string;
  sequence: string;
  data: Record<string, unknown> & { facts: Record<string, unknown> };
}

/** Reads the feed page by page from `after` until a page comes back empty. */
export async function readWholeFeed(t: TestApp, p: RegisteredPlatform, opts: { after?: string; limit?: number } = {}): Promise<{ events: FeedEvent[]; next: string }> {
  const events: FeedEvent[] = [];
  let after = opts.after ?? '';
  for (let page = 0; page < 1000; page++) {
    const res = await t.call({ method: 'GET', url: `/api/v1/events?limit=${opts.limit ?? 100}${after ? `&after=${after}` : ''}`, headers: p.headers });
    if (res.statusCode !== 200) throw new Error(`feed failed: ${res.body}`);
    const body = res.json() as { events: FeedEvent[]; next: string };
    events.push(...body.events);
    if (body.events.length === 0) return { events, next: body.next };
    after = body.next;
  }
  throw new Error('feed did not end');
}
