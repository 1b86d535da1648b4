/**
 * The relabelling detectors' thresholds (issue 22). The Order names none of these numbers: they only say
 * when the supervisors look, and every flag names the setting it applied, never an article as its source.
 * Config.relabelling; src/config/config.ts says why each default.
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
