import { eq } from 'drizzle-orm';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { platformClients, webhookDeliveries } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { findClient, hashSecret, newSecret, platformKey, type PlatformClient } from './clients.repository.js';
import { newWebhookSecret } from './webhook-signature.js';

export interface ClientInput {
  id: string;
  name: string;
  sourceSystem: string;
  eventTypes: string[];
  agencies: string[];
  importAgencies: string[];
  webhookUrl?: string | null;
}

export interface ClientPatch {
  name?: string;
  eventTypes?: string[];
  agencies?: string[];
  importAgencies?: string[];
  webhookUrl?: string | null;
  active?: boolean;
}

/** What the admin hands to the platform once: its key and, with a webhook, the signing secret. Neither is shown again. */
export interface Registered {
  client: PlatformClient;
  key: string;
  webhookSecret: string | null;
}

/** A client's scope, never its secrets: what its audit entries record and what the admin's view shows. */
export const clientScope = (c: Pick<PlatformClient, 'name' | 'sourceSystem' | 'eventTypes' | 'agencies' | 'importAgencies' | 'webhookUrl' | 'active'>) => ({
  name: c.name,
  sourceSystem: c.sourceSystem,
  eventTypes: c.eventTypes,
  agencies: c.agencies,
  importAgencies: c.importAgencies,
  webhookUrl: c.webhookUrl,
  active: c.active,
});

async function ensureDelivery(tx: Db, clientId: string, at: Date): Promise<void> {
  // A new subscriber starts at the beginning of the feed: an upper-level platform gathers the whole record (Art. 29).
  await tx.insert(webhookDeliveries).values({ clientId, nextAttemptAt: at }).onConflictDoNothing();
}

export async function registerClient(tx: Db, { at, audit }: CommandScope, actorSub: string, input: ClientInput): Promise<Registered> {
  const secret = newSecret();
  const webhookSecret = input.webhookUrl ? newWebhookSecret() : null;
  let client: PlatformClient;
  try {
    [client] = (await tx
      .insert(platformClients)
      .values({
        id: input.id,
        name: input.name,
        sourceSystem: input.sourceSystem,
        secretHash: hashSecret(secret),
        eventTypes: input.eventTypes,
        agencies: input.agencies,
        importAgencies: input.importAgencies,
        webhookUrl: input.webhookUrl ?? null,
        webhookSecret,
        createdBy: actorSub,
        createdAt: at,
        updatedAt: at,
      })
      .returning()) as [PlatformClient];
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('ALREADY_EXISTS', `对接平台 ${input.id} 或来源系统 ${input.sourceSystem} 已登记`);
    throw err;
  }
  if (client.webhookUrl) await ensureDelivery(tx, client.id, at);
  await audit({ action: 'platform_client.registered', subjectType: 'platform_client', subjectId: client.id, after: 'active', payload: clientScope(client) });
  return { client, key: platformKey(client.id, secret), webhookSecret };
}

export async function updateClient(tx: Db, { at, audit }: CommandScope, id: string, patch: ClientPatch): Promise<{ client: PlatformClient; webhookSecret: string | null }> {
  const before = await findClient(tx, id);
  if (!before) throw DomainError.notFound('对接平台', id);
  // A webhook added where there was none gets its signing secret now.
  const webhookSecret = patch.webhookUrl && !before.webhookSecret ? newWebhookSecret() : null;
  const [client] = (await tx
    .update(platformClients)
    .set({ ...patch, ...(webhookSecret ? { webhookSecret } : {}), updatedAt: at })
    .where(eq(platformClients.id, id))
    .returning()) as [PlatformClient];
  if (client.webhookUrl) await ensureDelivery(tx, client.id, at);
  await audit({
    action: 'platform_client.updated',
    subjectType: 'platform_client',
    subjectId: id,
    before: before.active ? 'active' : 'inactive',
    after: client.active ? 'active' : 'inactive',
    payload: clientScope(client),
  });
  return { client, webhookSecret };
}

/** A new key for the client; the old one stops working at once (a leaked key is replaced, not waited out). */
export async function rotateKey(tx: Db, { at, audit }: CommandScope, id: string): Promise<string> {
  const secret = newSecret();
  const rows = await tx.update(platformClients).set({ secretHash: hashSecret(secret), updatedAt: at }).where(eq(platformClients.id, id)).returning({ id: platformClients.id });
  if (rows.length === 0) throw DomainError.notFound('对接平台', id);
  await audit({ action: 'platform_client.key_rotated', subjectType: 'platform_client', subjectId: id, payload: {} });
  return platformKey(id, secret);
}
