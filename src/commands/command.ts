import { appendAudit, auditEntryCtes, type AuditInput, type DrawnAuditId } from '../audit/append.js';
import { withAuditMac, type AuditMacKeys } from '../audit/mac.js';
import type { SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { isRetryable } from '../db/errors.js';
import { DomainError } from '../errors/domain-error.js';
import type { Clock } from '../time/clock.js';

/** What a command knows about its caller; built once per request. */
export interface CommandContext {
  db: Db;
  clock: Clock;
  actor: Principal;
  /** The app's audit append-MAC keys (services.auditMac): every entry the command writes carries their MAC. */
  auditMac: AuditMacKeys;
  requestId?: string;
  /**
   * Called once the transaction has committed, with the subjects it audited: this instance's caches drop what
   * changed at once (other instances learn it from the database's notification, which may land later).
   */
  afterCommit?: (subjects: readonly AuditedSubject[]) => void;
}

/** What a committed command changed, as its audit entries name it. */
export type AuditedSubject = Pick<AuditInput, 'subjectType' | 'subjectId'>;

/** The subject a refusal is recorded against when a rule refuses the command. */
export interface RefusalSubject {
  subjectType: string;
  subjectId: string;
  agencyCode?: string | null;
  enterpriseCode?: string | null;
  districtCode?: string | null;
}

export interface CommandScope {
  /** The command's instant, read once from the clock. */
  at: Date;
  /** Appends an audit entry in this transaction, filling actor, role, time and request id. */
  audit(entry: Omit<AuditInput, 'at' | 'actor' | 'role' | 'requestId'>): Promise<number>;
  /**
   * The same entry, with an id the caller drew in one of its own statements (auditIdSql), as the CTEs the caller
   * writes beside its own rows in one statement (auditEntryCtes): one round trip for the change and its entry.
   */
  auditCtes?(entry: Omit<AuditInput, 'at' | 'actor' | 'role' | 'requestId'>, drawn: DrawnAuditId): SQL;
}

// Serialization failures and deadlocks are transient; a few retries settle them.
const MAX_ATTEMPTS = 3;

/**
 * One transaction per command (DESIGN.md). A DomainError that names a rule rolls the change back and is
 * then recorded as a refusal on the audit chain in a transaction of its own, so refusals are visible to
 * supervisors even though nothing else was written.
 */
export async function runCommand<T>(
  ctx: CommandContext,
  /** Or a loader, called only when a rule refuses (saves the reads on the path that succeeds). */
  refusalSubject: RefusalSubject | (() => Promise<RefusalSubject | null>),
  body: (tx: Db, scope: CommandScope) => Promise<T>,
): Promise<T> {
  return withAuditMac(ctx.auditMac, () => runInScope(ctx, refusalSubject, body));
}

async function runInScope<T>(ctx: CommandContext, refusalSubject: Parameters<typeof runCommand>[1], body: (tx: Db, scope: CommandScope) => Promise<T>): Promise<T> {
  const at = ctx.clock.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const audited: AuditedSubject[] = [];
      const result = await ctx.db.transaction(async (tx) => {
        const scope: CommandScope = {
          at,
          audit: (entry) => {
            audited.push({ subjectType: entry.subjectType, subjectId: entry.subjectId });
            return appendAudit(tx, { ...entry, at, actor: ctx.actor.sub, role: ctx.actor.role, requestId: ctx.requestId ?? null }, ctx.auditMac);
          },
          auditCtes: (entry, drawn) => {
            audited.push({ subjectType: entry.subjectType, subjectId: entry.subjectId });
            return auditEntryCtes({ ...entry, at, actor: ctx.actor.sub, role: ctx.actor.role, requestId: ctx.requestId ?? null }, drawn, ctx.auditMac);
          },
        };
        return body(tx, scope);
      });
      ctx.afterCommit?.(audited);
      return result;
    } catch (err) {
      if (isRetryable(err) && attempt < MAX_ATTEMPTS) continue;
      if (err instanceof DomainError && err.extensions.rule && refusalSubject) {
        const subject = typeof refusalSubject === 'function' ? await refusalSubject() : refusalSubject;
        if (subject) await recordRefusal(ctx, at, subject, err);
      }
      throw err;
    }
  }
}

async function recordRefusal(ctx: CommandContext, at: Date, subject: RefusalSubject, err: DomainError): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await appendAudit(tx, {
      at,
      actor: ctx.actor.sub,
      role: ctx.actor.role,
      action: `refused.${String(err.extensions.rule)}`,
      ...subject,
      payload: { code: err.code, detail: err.detail, violations: err.extensions.violations ?? [] },
      requestId: ctx.requestId ?? null,
    }, ctx.auditMac);
  });
}
