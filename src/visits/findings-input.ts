/**
 * The findings and the Art. 20 outcome, as pure data: what a single inspection records (src/visits/
 * commands/findings.ts) and what each unit of a joint visit records (src/visits/joint/findings-split.ts). Both
 * modules read this one shape; neither imports the other's commands.
 */
import type { OutcomeInput } from './outcome.js';

/** What an officer records at the end of a visit (Art. 18(4), 19, 20, 22, 23). */
export interface FindingsInput {
  methods: string[];
  items: { item: string; result: 'compliant' | 'violation' | 'not_applicable'; note?: string }[];
  /** Art. 20: one or several outcomes (src/visits/outcome.ts). */
  outcome: OutcomeInput;
  /**
   * Art. 22, 40(7): the test, with the product (产品) and batch (批次) tested, which REPEATED_TESTING compares
   * with earlier recognised tests.
   */
  sampling?: { samples: number; costBorneBy: 'agency' | 'enterprise'; amountYuan?: number; product?: string; batch?: string; repeatOfEarlierTest?: boolean };
  /** Violations outside the agency's jurisdiction, to be referred within 10 working days (Art. 23). */
  outOfJurisdiction?: { description: string; competentAgencyCode: string; foundOn?: string }[];
}
