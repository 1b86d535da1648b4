import { randomUUID } from 'node:crypto';
import { matterMachine } from '../../machines/matter.machine.js';
import { transitionOrRefuse } from '../commands/transition.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { addDays, shanghaiDate } from '../time/shanghai-date.js';
import { findAgency } from './agencies.repository.js';
import {
  findMatter,
  insertMatter,
  nextMatterVersion,
  openPublishedVersion,
  updateMatter,
  type Matter,
  type NewMatter,
} from './matters.repository.js';

/**
 * Art. 7: the agency 梳理、编制 its matter list and publishes it. An officer or the head of the agency
 * drafts; publishing or withdrawing binds the agency before the public, so only its head does that.
 */
function assertOwnList(actor: Principal, agencyCode: string, headOnly: boolean): void {
  const roleOk = headOnly ? actor.role === 'agency_head' : actor.role === 'officer' || actor.role === 'agency_head';
  if (roleOk && actor.agency === agencyCode) return;
  throw new DomainError('OUT_OF_SCOPE', headOnly ? '只有本单位负责人可以公布或撤销本单位的行政检查事项' : '只能编制本单位的行政检查事项清单');
}

export type MatterDraft = Pick<NewMatter, 'agencyCode' | 'matterCode' | 'name' | 'legalBasis' | 'domain' | 'offsiteCapable' | 'foodDrug'>;

/** Drafts a new version of a matter (version 1 for a new matter). */
export async function draftMatter(tx: Db, { at, audit }: CommandScope, actor: Principal, input: MatterDraft): Promise<Matter> {
  assertOwnList(actor, input.agencyCode, false);
  const agency = await findAgency(tx, input.agencyCode);
  if (!agency) throw DomainError.field('body.agencyCode', `行政执法主体 ${input.agencyCode} 不存在`, 'REFERENCE_INVALID');
  const version = await nextMatterVersion(tx, input.agencyCode, input.matterCode);
  const row = await insertMatter(tx, { ...input, id: randomUUID(), version, state: 'draft', createdAt: at });
  await audit({
    action: 'matter.drafted',
    subjectType: 'matter',
    subjectId: row.id,
    agencyCode: row.agencyCode,
    districtCode: agency.districtCode,
    after: 'draft',
    payload: input,
  });
  return row;
}

/**
 * Publishes a draft version from `effectiveFrom`; the version it replaces stays in force until the day
 * before (dynamic management, Art. 7).
 */
export async function publishMatter(tx: Db, { at, audit }: CommandScope, actor: Principal, id: string, effectiveFrom: string): Promise<Matter> {
  const row = await findMatter(tx, id);
  if (!row) throw DomainError.notFound('检查事项', id);
  assertOwnList(actor, row.agencyCode, true);
  const state = transitionOrRefuse(matterMachine, '检查事项', row.state, { effectiveFrom: row.effectiveFrom }, { type: 'PUBLISH', effectiveFrom });
  const previous = await openPublishedVersion(tx, row.agencyCode, row.matterCode);
  if (previous) {
    if (previous.effectiveFrom && previous.effectiveFrom >= effectiveFrom) {
      throw DomainError.field('body.effectiveFrom', `须晚于现行版本的生效日期 ${previous.effectiveFrom}`);
    }
    await updateMatter(tx, previous.id, { effectiveTo: addDays(effectiveFrom, -1) });
  }
  const out = await updateMatter(tx, id, { state: state as Matter['state'], effectiveFrom, publishedAt: at });
  await audit({
    action: 'matter.published',
    subjectType: 'matter',
    subjectId: id,
    agencyCode: row.agencyCode,
    before: row.state,
    after: out.state,
    payload: { effectiveFrom, supersedes: previous?.id ?? null },
  });
  return out;
}

/** Withdraws a version; it was in force up to `effectiveTo` (default: yesterday, Asia/Shanghai). */
export async function withdrawMatter(tx: Db, { at, audit }: CommandScope, actor: Principal, id: string, effectiveTo?: string): Promise<Matter> {
  const row = await findMatter(tx, id);
  if (!row) throw DomainError.notFound('检查事项', id);
  assertOwnList(actor, row.agencyCode, true);
  const state = transitionOrRefuse(matterMachine, '检查事项', row.state, { effectiveFrom: row.effectiveFrom }, { type: 'WITHDRAW' });
  const to = row.state === 'draft' ? null : (effectiveTo ?? addDays(shanghaiDate(at), -1));
  if (to && row.effectiveFrom && to < addDays(row.effectiveFrom, -1)) {
    throw DomainError.field('body.effectiveTo', `不能早于生效日期 ${row.effectiveFrom} 的前一日`);
  }
  const out = await updateMatter(tx, id, { state: state as Matter['state'], effectiveTo: to, withdrawnAt: at });
  await audit({
    action: 'matter.withdrawn',
    subjectType: 'matter',
    subjectId: id,
    agencyCode: row.agencyCode,
    before: row.state,
    after: out.state,
    payload: { effectiveTo: to },
  });
  return out;
}
