/**
 * The findings and the Art. 20 outcome, as pure data: what a single inspection records (src/inspections/
 * commands/findings.ts) and what each unit of a joint visit records (src/joint/findings-split.ts). Both
 * modules read this one shape; neither imports the other's commands.
 */
/** What an officer records at the end of a visit (Art. 18(4), 19, 20, 22, 23). */
export interface FindingsInput {
  methods: string[];
  items: { item: string; result: 'compliant' | 'violation' | 'not_applicable'; note?: string }[];
  outcome: {
    kind: 'no_violation' | 'stop_order' | 'rectification' | 'penalty_referral';
    /** Written notice or decision number for stop and rectification orders (Art. 20(2)). */
    noticeNo?: string;
    /** When the enterprise must have stopped or rectified; the follow-up inspection is due then. */
    dueDate?: string;
    /** Art. 20(3): proportionality and whether a no-penalty / exemption ground applied. */
    proportionalityNote?: string;
    noPenaltyGround?: string | null;
  };
  sampling?: { samples: number; costBorneBy: 'agency' | 'enterprise'; amountYuan?: number; repeatOfEarlierTest?: boolean };
  /** Violations outside the agency's jurisdiction, to be referred within 10 working days (Art. 23). */
  outOfJurisdiction?: { description: string; competentAgencyCode: string; foundOn?: string }[];
}
