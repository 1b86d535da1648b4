import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { findDistrict, type District } from '../registry/districts.repository.js';
import { findAgency, type Agency } from '../registry/agencies.repository.js';
import { findEnterprise, type Enterprise } from '../registry/enterprises.repository.js';
import { publishedMatterOn, type Matter } from '../registry/matters.repository.js';
import type { GuardFacts } from '../rules/guard-facts.js';
import type { Inspection } from './repository.js';

export interface LoadedFacts {
  facts: GuardFacts;
  agency: Agency;
  enterprise: Enterprise;
}

/**
 * The district counterpart of a city agency in a district that may inspect the matter (Art. 11: the lowest
 * statutory level; Art. 7: 未经公布的行政检查事项，不得实施). It is the lowest level for this inspection only if
 * it is active and has at least one of the inspection's matters on its published list on that day; the
 * names of the matters it lists are returned for the message. A counterpart that has not published the
 * matter may not inspect it, so sending the officer there would send him to an unlawful inspection.
 */
async function lowerCounterpart(db: Db, agency: Agency, districtCode: string, matterCodes: readonly string[], date: string): Promise<{ code: string; name: string; matters: string[] } | null> {
  if (agency.level !== 'city') return null;
  const rows = await db
    .select({ code: agencies.code, name: agencies.name })
    .from(agencies)
    .where(and(eq(agencies.parentCode, agency.code), eq(agencies.districtCode, districtCode), eq(agencies.active, true)));
  for (const row of rows) {
    const listed: string[] = [];
    for (const m of matterCodes) {
      const published = await publishedMatterOn(db, row.code, m, date);
      if (published) listed.push(`“${published.name}”`);
    }
    if (listed.length) return { ...row, matters: listed };
  }
  return null;
}

/**
 * A division as the guards need it, read once: its registered name (so the territory message names the place)
 * and whether it lies outside Wuhan (Art. 12) — the same row that isOutsideWuhan reads.
 */
async function place(db: Db, code: string | null, ahead?: GuardReadAhead): Promise<{ name: string | null; outsideWuhan: boolean }> {
  const d = !code ? undefined : ahead ? ahead.districts.find((x) => x.code === code) : await findDistrict(db, code);
  return { name: d?.name ?? null, outsideWuhan: d?.kind === 'outside' };
}

type Draftish = Pick<
  Inspection,
  'agencyCode' | 'enterpriseCode' | 'kind' | 'mode' | 'countedDate' | 'matterCodes' | 'inspectors' | 'teamExceptionBasis' | 'assistanceRef' | 'escalationGround' | 'escalationRef' | 'onsiteReason' | 'leadKind'
> & Partial<Pick<Inspection, 'leadRef' | 'offsiteFollowUpReason'>>;

/**
 * The rows loadGuardFacts reads, when the caller read them already with its other facts in one statement (the
 * code issuance, src/visits/issue-facts.ts): the agency, the enterprise, each matter's version published on the
 * date (by matter code, absent when none), and the districts of both.
 */
export interface GuardReadAhead {
  agency: Agency | undefined;
  enterprise: Enterprise | undefined;
  published: ReadonlyMap<string, Matter | undefined>;
  districts: readonly District[];
}

/** Loads what the guards read, for a draft or a stored inspection (inside the caller's transaction). */
export async function loadGuardFacts(db: Db, i: Draftish, ahead?: GuardReadAhead): Promise<LoadedFacts> {
  const agency = ahead ? ahead.agency : await findAgency(db, i.agencyCode);
  if (!agency) throw DomainError.field('body.agencyCode', `行政执法主体 ${i.agencyCode} 不存在`, 'REFERENCE_INVALID');
  const enterprise = ahead ? ahead.enterprise : await findEnterprise(db, i.enterpriseCode);
  if (!enterprise) throw DomainError.field('body.enterpriseCode', `企业 ${i.enterpriseCode} 未登记`, 'REFERENCE_INVALID');
  // One query at a time: inside a transaction they share one connection.
  const matters = [];
  for (const code of i.matterCodes) {
    const m = ahead ? ahead.published.get(code) : await publishedMatterOn(db, i.agencyCode, code, i.countedDate);
    matters.push({ code, published: m ? { name: m.name, domain: m.domain, offsiteCapable: m.offsiteCapable, legalBasis: m.legalBasis } : null });
  }
  const counterpart = await lowerCounterpart(db, agency, enterprise.districtCode, i.matterCodes, i.countedDate);
  const agencyPlace = await place(db, agency.districtCode, ahead);
  const enterprisePlace = agency.districtCode === enterprise.districtCode ? agencyPlace : await place(db, enterprise.districtCode, ahead);
  return {
    agency,
    enterprise,
    facts: {
      kind: i.kind,
      mode: i.mode,
      date: i.countedDate,
      agency: { code: agency.code, level: agency.level, districtCode: agency.districtCode, districtName: agencyPlace.name, domains: agency.domains, outsideWuhan: agencyPlace.outsideWuhan },
      enterprise: { creditCode: enterprise.creditCode, districtCode: enterprise.districtCode, districtName: enterprisePlace.name, outsideWuhan: enterprisePlace.outsideWuhan, premisesDistrictCodes: enterprise.premisesDistrictCodes ?? [] },
      matters,
      inspectors: i.inspectors,
      teamExceptionBasis: i.teamExceptionBasis,
      assistanceRef: i.assistanceRef,
      escalationGround: i.escalationGround,
      escalationRef: i.escalationRef,
      onsiteReason: i.onsiteReason,
      offsiteFollowUpReason: i.offsiteFollowUpReason ?? null,
      leadKind: i.leadKind,
      leadRef: i.leadRef ?? null,
      lowerLevelCounterpart: counterpart?.code ?? null,
      lowerLevelCounterpartName: counterpart?.name ?? null,
      lowerLevelMatters: counterpart?.matters ?? [],
    },
  };
}
