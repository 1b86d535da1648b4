import { and, eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { canonicalJson, sha256Hex } from '../audit/canonical.js';
import { runCommand, type CommandContext, type CommandScope, type RefusalSubject } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { idempotencyKeys } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';

export interface CommandResponse<T> {
  status: number;
  body: T;
  /** True when an earlier request with the same Idempotency-Key produced this answer. */
  replayed: boolean;
}

class Replay extends Error {
  constructor(readonly stored: CommandResponse<unknown>) {
    super('idempotent replay');
  }
}

export function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  const raw = req.headers['idempotency-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined) return undefined;
  if (!/^[A-Za-z0-9_\-:.]{8,128}$/.test(key)) {
    throw DomainError.field('header.idempotency-key', '须为 8 到 128 位字母、数字或 _-:. 字符');
  }
  return key;
}

/**
 * Whom a key belongs to: the subject with the role and the unit they acted in. A replay answers only the
 * same subject in the same role and unit (agency, district, enterprise) — the route's role check has just
 * passed on this request; if the registry now puts the subject elsewhere, the key is not theirs there and
 * the command runs afresh under every scope check, instead of handing over an answer given to the old scope
 * (issue 23: keys were bound to `sub` alone).
 */
export function idempotencyOwner(p: Pick<CommandContext['actor'], 'sub' | 'role' | 'agency' | 'district' | 'creditCode'>): string {
  return JSON.stringify([p.sub, p.role, p.agency ?? null, p.district ?? null, p.creditCode ?? null]);
}

/**
 * Runs a creating command at most once per (caller, Idempotency-Key). The key row is inserted first,
 * inside the command's own transaction: a concurrent duplicate waits on it and, once the first commits,
 * finds it taken and replays the stored answer; if the first rolls back, the duplicate runs instead.
 * Without the header the command simply runs.
 */
export async function runIdempotent<T>(
  req: FastifyRequest,
  ctx: CommandContext,
  refusal: RefusalSubject | (() => Promise<RefusalSubject | null>),
  status: number,
  body: (tx: Db, scope: CommandScope) => Promise<T>,
): Promise<CommandResponse<T>> {
  // The document declares the header from this flag (src/http/openapi.ts): a route must not take it unannounced.
  if (req.routeOptions.config.idempotent !== true) throw new Error(`${req.method} ${req.routeOptions.url} uses runIdempotent without config.idempotent`);
  const key = idempotencyKeyOf(req);
  if (!key) return { status, body: await runCommand(ctx, refusal, body), replayed: false };
  const actor = idempotencyOwner(ctx.actor);
  const route = `${req.method} ${req.routeOptions.url}`;
  const requestHash = sha256Hex(canonicalJson({ params: req.params ?? null, body: req.body ?? null }));
  try {
    const result = await runCommand(ctx, refusal, async (tx, scope) => {
      const inserted = await tx
        .insert(idempotencyKeys)
        .values({ actor, key, route, requestHash, status: 0, body: {}, createdAt: scope.at })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (inserted.length === 0) throw new Replay(await storedFor(tx, actor, key, route, requestHash));
      const out = await body(tx, scope);
      await tx
        .update(idempotencyKeys)
        .set({ status, body: sql`${JSON.stringify(out ?? null)}::jsonb` })
        .where(and(eq(idempotencyKeys.actor, actor), eq(idempotencyKeys.key, key)));
      return out;
    });
    return { status, body: result, replayed: false };
  } catch (err) {
    if (err instanceof Replay) return err.stored as CommandResponse<T>;
    throw err;
  }
}

async function storedFor(tx: Db, actor: string, key: string, route: string, requestHash: string): Promise<CommandResponse<unknown>> {
  const [row] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.actor, actor), eq(idempotencyKeys.key, key)));
  if (!row || row.route !== route || row.requestHash !== requestHash) {
    throw new DomainError('IDEMPOTENCY_KEY_REUSED', '该 Idempotency-Key 已用于另一个请求，请换用新的键');
  }
  return { status: row.status, body: row.body, replayed: true };
}
