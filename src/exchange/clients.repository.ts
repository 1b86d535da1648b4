import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { platformClients, webhookDeliveries } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';

export type PlatformClient = typeof platformClients.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/** A platform's credential: `p327.<client id>.<secret>`, sent as a bearer token. Never a JWT (those begin `eyJ`). */
export const PLATFORM_KEY_PREFIX = 'p327.';
const KEY_PATTERN = /^p327\.([a-z0-9][a-z0-9-]{1,39})\.([A-Za-z0-9_-]{43})$/;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function platformKey(clientId: string, secret: string): string {
  return `${PLATFORM_KEY_PREFIX}${clientId}.${secret}`;
}

/** The client id a platform principal acts as (`platform:<id>`). */
export function clientIdOf(p: Principal): string {
  return p.sub.replace(/^platform:/, '');
}

/** Resolves a platform key to its principal, or null when it is malformed, unknown, wrong or the client is inactive. */
export async function principalForKey(db: Db, token: string): Promise<Principal | null> {
  const m = KEY_PATTERN.exec(token);
  if (!m) return null;
  const [row] = await db.select().from(platformClients).where(eq(platformClients.id, m[1]!));
  if (!row || !row.active) return null;
  const given = Buffer.from(hashSecret(m[2]!), 'hex');
  const stored = Buffer.from(row.secretHash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
  return { sub: `platform:${row.id}`, role: 'platform', name: row.name };
}

export async function findClient(db: Db, id: string): Promise<PlatformClient | undefined> {
  const [row] = await db.select().from(platformClients).where(eq(platformClients.id, id));
  return row;
}

/** The calling platform's registry row; a platform token for an unregistered or stopped client reaches nothing. */
export async function activeClientOf(db: Db, p: Principal): Promise<PlatformClient> {
  const row = await findClient(db, clientIdOf(p));
  if (!row || !row.active) throw new DomainError('OUT_OF_SCOPE', '该对接平台未登记或已停用，不能交换数据');
  return row;
}

export async function listClients(db: Db): Promise<{ client: PlatformClient; delivery: WebhookDelivery | null }[]> {
  const rows = await db
    .select()
    .from(platformClients)
    .leftJoin(webhookDeliveries, eq(webhookDeliveries.clientId, platformClients.id))
    .orderBy(asc(platformClients.id));
  return rows.map((r) => ({ client: r.platform_clients, delivery: r.webhook_deliveries }));
}

export async function deliveryOf(db: Db, clientId: string): Promise<WebhookDelivery | null> {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.clientId, clientId));
  return row ?? null;
}
