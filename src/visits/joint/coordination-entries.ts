import { and, inArray, isNull, lte, or, gt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { jointLists } from '../../db/schema/index.js';
import { findAgency } from '../../registry/agencies.repository.js';
import { leadOf, unitOf } from './list-entry.js';

/**
 * 应协同尽协同 (Art. 26) asks for coordination where it can be had: a “综合查一次” task is launched from a
 * published joint-matter list entry (Arts. 27–29), so two agencies' visits could have been one joint visit
 * only when an entry in force at the time lists both agencies with the matters they actually inspected.
 * Without such an entry no joint task could have been launched and JOINT_NOT_COORDINATED is not raised.
 * "In force at the time" = published on or before the flagged visit's window start and not superseded by then.
 */
export interface PossibleJointEntry {
  listId: string;
  listVersion: number;
  listTitle: string;
  entryCode: string;
  entryName: string;
  leadAgencyCode: string;
  leadAgencyName: string;
  /** Per agency of the pair: the matters of its visit the entry covers. */
  matters: { agencyCode: string; matterCodes: string[] }[];
}

export interface Visit {
  agencyCode: string;
  matterCodes: readonly string[];
}

/** The entries in force at `at` under which visits `a` and `b` could have been one joint inspection. */
export async function entriesCovering(tx: Db, at: Date, a: Visit, b: Visit): Promise<PossibleJointEntry[]> {
  const lists = await tx
    .select()
    .from(jointLists)
    .where(and(inArray(jointLists.state, ['published', 'superseded']), lte(jointLists.publishedAt, at), or(isNull(jointLists.supersededAt), gt(jointLists.supersededAt, at))));
  const out: PossibleJointEntry[] = [];
  for (const list of lists) {
    for (const e of list.entries) {
      const covered = [a, b].map((v) => ({ agencyCode: v.agencyCode, matterCodes: unitOf(e, v.agencyCode)?.matterCodes.filter((m) => v.matterCodes.includes(m)) ?? [] }));
      if (covered.some((c) => c.matterCodes.length === 0)) continue;
      const lead = leadOf(e).agencyCode;
      out.push({
        listId: list.id,
        listVersion: list.listVersion,
        listTitle: list.title,
        entryCode: e.code,
        entryName: e.name,
        leadAgencyCode: lead,
        leadAgencyName: (await findAgency(tx, lead))?.name ?? lead,
        matters: covered,
      });
    }
  }
  return out;
}

/** 《清单》“事项”（发起单位：某局） — how the flag text names what could have been launched. */
export function entryText(e: PossibleJointEntry): string {
  return `《${e.listTitle}》“${e.entryName}”（事项编号${e.entryCode}，发起单位：${e.leadAgencyName}，检查事项：${e.matters.flatMap((m) => m.matterCodes).join('、')}）`;
}
