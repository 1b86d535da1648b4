/**
 * The findings and the Art. 20 outcome, as pure data: what a single inspection records (src/visits/
 * commands/findings.ts) and what each unit of a joint visit records (src/visits/joint/findings-split.ts). Both
 * modules read this one shape; neither imports the other's commands.
 */
import type { OutcomeInput } from './outcome.js';

/** Art. 19 (一)–(七): the methods of an on-site inspection (their words: METHOD_ZH in terms-zh.ts). */
export const METHODS = ['statement', 'documents', 'self_report', 'site_survey', 'sampling', 'inquiry', 'other'] as const;
export type Method = (typeof METHODS)[number];

/** One checklist item's result (Art. 18(4)). */
export const ITEM_RESULTS = ['compliant', 'violation', 'not_applicable'] as const;
export type ItemResult = (typeof ITEM_RESULTS)[number];

/** What an officer records at the end of a visit (Art. 18(4), 19, 20, 22, 23). */
export interface FindingsInput {
  methods: string[];
  items: { item: string; result: ItemResult; note?: string }[];
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
