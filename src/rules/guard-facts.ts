/** An inspector on a visit, as the inspection row stores it (src/db/schema/inspections.ts uses this shape). */
export interface Inspector {
  name: string;
  certificateNo: string;
  officerId?: string;
}

/**
 * The facts the code-issuance guards (Art. 3, 7, 9, 11, 12, 18, 32, 43) judge, loaded by the inspection
 * commands (src/visits/guard-facts.ts) and passed to the pure checks in src/rules/{scope,authority,onsite}.ts.
 */
export interface MatterFact {
  code: string;
  /** The published version in force on the inspection date, if any (Art. 7). */
  published: { name: string; domain: string; offsiteCapable: boolean; legalBasis: string } | null;
}

export interface GuardFacts {
  kind: 'routine' | 'special' | 'case';
  mode: 'onsite' | 'offsite';
  date: string;
  /** districtName: the registry's name for districtCode, so messages name the place, not its code. */
  agency: { code: string; level: 'city' | 'district'; districtCode: string | null; districtName: string | null; domains: string[]; outsideWuhan: boolean };
  enterprise: { creditCode: string; districtCode: string; districtName: string | null; outsideWuhan: boolean; premisesDistrictCodes?: readonly string[] };
  matters: MatterFact[];
  inspectors: Inspector[];
  teamExceptionBasis: string | null;
  assistanceRef: string | null;
  escalationGround: string | null;
  escalationRef: string | null;
  onsiteReason: string | null;
  /** Art. 32: why an on-site visit follows up an off-site plan item (its own declaration). */
  offsiteFollowUpReason?: string | null;
  leadKind: string | null;
  /** The lead's reference; for an `other` lead its description and source (Art. 9: 有线索可查). */
  leadRef?: string | null;
  /** A district counterpart of this city agency exists in the enterprise's district (Art. 11). */
  lowerLevelCounterpart: string | null;
  /** Its name, for the message (Art. 11). */
  lowerLevelCounterpartName: string | null;
  /** The inspection's matters on that counterpart's published list on the inspection date (Art. 7, 11). */
  lowerLevelMatters?: string[];
}

