/** Compatibility: the frequency checks now live in their declarations (src/rules/declarations/frequency.ts). */
export {
  CASE_FREQUENCY_ANOMALY,
  FREQUENCY_CAP,
  NO_DISTURB,
  countOnRecordCheck,
  countedOnRecord,
  modesZh,
  type CapResult,
  type CountedInspection,
  type FrequencyQuestion,
  type FrequencyRuleData,
  type InspectionMode,
  type NoDisturbEntry,
} from './declarations/frequency.js';
