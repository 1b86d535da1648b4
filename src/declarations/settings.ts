/**
 * The relabelling detectors' thresholds (issue 22). The Order names none of these numbers: they only say
 * when the supervisors look, and every flag names the setting it applied, never an article as its source.
 */
export interface RelabellingSettings {
  /** CASE_RELABEL_WINDOW_DAYS: the period compared with the one before it. */
  caseWindowDays: number;
  /** CASE_RELABEL_RISE_TIMES: case inspections this many times the previous period's count is a rise. */
  caseRiseTimes: number;
  /** CASE_RELABEL_MIN_CASES: fewer case inspections than this in the period are never a pattern. */
  caseMinCases: number;
  /** LEAD_SHARED_MIN_ENTERPRISES: one lead reference serving this many enterprises is flagged. */
  leadSharedMinEnterprises: number;
  /** LEAD_SHARED_WINDOW_DAYS: how far back case inspections are read for shared leads. */
  leadSharedWindowDays: number;
  /** DECLARATION_PEER_TIMES: declarations this many times the level's median are far above the peers. */
  declarationPeerTimes: number;
  /** DECLARATION_PEER_MIN: fewer declarations than this are never flagged. */
  declarationPeerMin: number;
  /** DECLARATION_PEER_WINDOW_DAYS: the period counted. */
  declarationPeerWindowDays: number;
}

// 90 days: a quarter, long enough for a rise to be more than one busy week. Twice the previous quarter
// and at least 5 cases: fewer is noise. A lead serving 3 enterprises: two may be a complaint naming a
// supplier and its customer; three is a list. Three times the median and at least 5: the same reasoning
// as the case rise, with the level's agencies as the peers.
export const DEFAULT_RELABELLING: RelabellingSettings = {
  caseWindowDays: 90,
  caseRiseTimes: 2,
  caseMinCases: 5,
  leadSharedMinEnterprises: 3,
  leadSharedWindowDays: 365,
  declarationPeerTimes: 3,
  declarationPeerMin: 5,
  declarationPeerWindowDays: 90,
};
