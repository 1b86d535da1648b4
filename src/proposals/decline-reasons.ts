/**
 * The reasons a cooperating unit may give for declining a proposed joint visit (Art. 28: 协同单位应当在
 * 监管职责范围内…参与). Picked from a list so supervisors can count them; a decline without one is flagged.
 */
export const DECLINE_REASONS = {
  outside_duties: '该企业或检查事项不属于本单位监管职责范围',
  inspected_already: '本单位本期已对该企业实施检查，无需再次入企',
  statutory_bar: '法律、法规规定该事项须单独实施检查',
  no_officers: '建议时间内本单位无具备资格的执法人员可派',
} as const;

export type DeclineReason = keyof typeof DECLINE_REASONS;
export const DECLINE_REASON_CODES = Object.keys(DECLINE_REASONS) as DeclineReason[];
