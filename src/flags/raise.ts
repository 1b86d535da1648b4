import { appendAudit } from '../audit/append.js';
import type { Db } from '../db/client.js';
import { flags } from '../db/schema/index.js';
import { ruleArticle, ruleDef, type RuleId } from '../rules/catalog.js';
import { newRowId } from '../db/ids.js';

export interface FlagInput {
  rule: RuleId;
  subjectType: string;
  subjectId: string;
  /** Distinguishes repeated occurrences on one subject; '' for "once per subject". */
  occurrence?: string;
  agencyCode?: string | null;
  enterpriseCode?: string | null;
  districtCode?: string | null;
  observed?: unknown;
  limit?: unknown;
  /** zh-CN sentence for the supervisor. */
  detail: string;
  evidence?: Record<string, unknown>;
}

export interface FlagActor {
  sub: string;
  role: string;
  requestId?: string | null;
}

/**
 * Raises a violation flag inside the caller's transaction. Idempotent: the unique (rule, subject,
 * occurrence) index makes a second raise a no-op, so concurrent sweepers or retries never duplicate it.
 * Returns the new flag's id, or null when it was already raised.
 */
export async function raiseFlag(tx: Db, at: Date, actor: FlagActor, input: FlagInput): Promise<string | null> {
  const def = ruleDef(input.rule);
  const id = newRowId();
  const inserted = await tx
    .insert(flags)
    .values({
      id,
      rule: input.rule,
      article: ruleArticle(input.rule),
      severity: def.severity,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      occurrence: input.occurrence ?? '',
      agencyCode: input.agencyCode ?? null,
      enterpriseCode: input.enterpriseCode ?? null,
      districtCode: input.districtCode ?? null,
      observed: input.observed ?? null,
      limitValue: input.limit ?? null,
      detail: input.detail,
      evidence: input.evidence ?? {},
      raisedAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: flags.id });
  if (inserted.length === 0) return null;
  await appendAudit(tx, {
    at,
    actor: actor.sub,
    role: actor.role,
    action: 'flag.raised',
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    agencyCode: input.agencyCode ?? null,
    enterpriseCode: input.enterpriseCode ?? null,
    districtCode: input.districtCode ?? null,
    payload: { flagId: id, rule: input.rule, article: ruleArticle(input.rule), occurrence: input.occurrence ?? '', detail: input.detail, observed: input.observed ?? null, limit: input.limit ?? null },
    requestId: actor.requestId ?? null,
  });
  return id;
}

/** The actor the sweeper and other background jobs write as. */
export const SYSTEM_ACTOR: FlagActor = { sub: 'system:sweeper', role: 'system' };
