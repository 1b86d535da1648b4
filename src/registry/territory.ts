import type { Db } from '../db/client.js';
import { findDistrict } from './districts.repository.js';

/**
 * Where an agency acts and where an enterprise is (Art. 11, 12, 40(9)). Wuhan's districts and functional
 * zones are `administrative` / `functional` rows; an administrative division outside Wuhan is an `outside`
 * row with its GB/T 2260 six-digit code (a county 420502, a prefecture 420500, a province 430000), so
 * agencies and enterprises beyond Wuhan can be registered and an out-of-area inspection recorded.
 */
export interface AgencyPlace {
  level: 'city' | 'district';
  districtCode: string | null;
  outsideWuhan: boolean;
}
export interface EnterprisePlace {
  districtCode: string;
  outsideWuhan: boolean;
  /** Districts of its other business premises (经营场所), where a district agency inspects them at home. */
  premisesDistrictCodes?: readonly string[];
}

/** A division code covers another when the other lies within it: 420500 covers 420502, 430000 covers 4301xx. */
export function divisionCovers(outer: string, inner: string): boolean {
  const prefix = outer.replace(/(00)+$/, '');
  return prefix.length > 0 && inner.startsWith(prefix);
}

/**
 * Whether inspecting the enterprise is an inspection outside the agency's own territory (异地检查, Art. 12):
 * a Wuhan district agency beyond its district, any Wuhan agency beyond Wuhan, an agency from outside Wuhan
 * in Wuhan, or beyond its own division. A Wuhan city agency anywhere in Wuhan acts at home (Art. 11 decides
 * whether it should act at all).
 */
export function isOutOfArea(agency: AgencyPlace, enterprise: EnterprisePlace): boolean {
  if (agency.outsideWuhan !== enterprise.outsideWuhan) return true;
  // Art. 12 with Art. 16: a site inspection happens at the premises; premises in the agency's own district are home.
  if (!agency.outsideWuhan) {
    const home = agency.districtCode === enterprise.districtCode || (agency.districtCode !== null && (enterprise.premisesDistrictCodes ?? []).includes(agency.districtCode));
    return agency.level === 'district' && !home;
  }
  return !agency.districtCode || !divisionCovers(agency.districtCode, enterprise.districtCode);
}

export async function isOutsideWuhan(db: Db, districtCode: string | null): Promise<boolean> {
  if (!districtCode) return false;
  return (await findDistrict(db, districtCode))?.kind === 'outside';
}
