import { randomUUID } from 'node:crypto';
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { agencies, enterprises, inspectionRatings } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { findInspection } from '../visits/repository.js';
import { shanghaiDayRange } from './shanghai-time.js';
import { withinJurisdiction } from './jurisdiction.js';

/**
 * An enterprise rates an inspection it received (Art. 38: equal treatment, no disturbance of normal
 * business — the enterprise's own word on it), once, and only after the findings were recorded, so the
 * rating is about a visit that took place. Supervisors read ratings within their jurisdiction.
 */
export type Rating = typeof inspectionRatings.$inferSelect;

export async function rateInspection(tx: Db, { at, audit }: CommandScope, actor: Principal, inspectionId: string, input: { score: number; comment?: string }): Promise<Rating> {
  const i = await findInspection(tx, inspectionId);
  if (!i) throw DomainError.notFound('行政检查', inspectionId);
  if (actor.role !== 'enterprise' || actor.creditCode !== i.enterpriseCode) throw new DomainError('OUT_OF_SCOPE', '企业只能评价本企业接受的检查');
  if (!i.findingsAt) {
    throw new DomainError('INVALID_TRANSITION', '检查情况记录后方可评价', { currentState: i.state, allowedEvents: [] });
  }
  const comment = input.comment?.trim() || null;
  const [row] = await tx
    .insert(inspectionRatings)
    .values({ id: randomUUID(), inspectionId: i.id, enterpriseCode: i.enterpriseCode, agencyCode: i.agencyCode, score: input.score, comment, createdBy: actor.sub, createdAt: at })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new DomainError('ALREADY_EXISTS', '本次检查已评价过，每次检查只能评价一次');
  await audit({
    action: 'inspection.rated',
    subjectType: 'inspection',
    subjectId: i.id,
    agencyCode: i.agencyCode,
    enterpriseCode: i.enterpriseCode,
    payload: { ratingId: row.id, score: input.score, comment },
  });
  return row;
}

export interface RatingFilter {
  agency?: string;
  inspection?: string;
  from?: string;
  to?: string;
}

function scopeOf(db: Db, p: Principal): SQL | undefined {
  if (p.role === 'enterprise') return eq(inspectionRatings.enterpriseCode, p.creditCode ?? '');
  return withinJurisdiction(db, p, inspectionRatings.agencyCode);
}

export async function listRatings(db: Db, p: Principal, f: RatingFilter, page: { limit: number; offset: number }) {
  const where = and(
    scopeOf(db, p),
    f.agency ? eq(inspectionRatings.agencyCode, f.agency) : undefined,
    f.inspection ? eq(inspectionRatings.inspectionId, f.inspection) : undefined,
    ...shanghaiDayRange(inspectionRatings.createdAt, f.from, f.to),
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({ rating: inspectionRatings, agencyName: agencies.name, enterpriseName: enterprises.name })
      .from(inspectionRatings)
      .leftJoin(agencies, eq(agencies.code, inspectionRatings.agencyCode))
      .leftJoin(enterprises, eq(enterprises.creditCode, inspectionRatings.enterpriseCode))
      .where(where)
      .orderBy(desc(inspectionRatings.createdAt), desc(inspectionRatings.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(inspectionRatings).where(where),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}
