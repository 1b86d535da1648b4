/**
 * Art. 11 ¶2: the grounds on which an upper-level agency inspects instead of the lowest statutory level,
 * and the closing sentence (上级主管部门有规定的，从其规定). A ground is chosen from these, never free text; a
 * designation or assignment and an upper authority's rule are documents, so their reference is required.
 * Escalation by the upper agency's own judgment (item 2) is its decision; a reference is kept if given.
 */
export const ESCALATION_GROUNDS = {
  major_or_cross_region: { zh: '有较大影响或者跨区域', cite: '第十一条第二款第（一）项', needsRef: false },
  upper_deems_escalation: { zh: '可能对某行政区域产生较大影响，上级行政执法主体认为应当提级实施', cite: '第十一条第二款第（二）项', needsRef: false },
  designated_or_assigned: { zh: '由上级或者本级人民政府、上级行政执法主体、国家监察机关指定或者交办', cite: '第十一条第二款第（三）项', needsRef: true },
  upper_authority_rule: { zh: '上级主管部门有规定', cite: '第十一条第二款', needsRef: true },
} as const;

export type EscalationGround = keyof typeof ESCALATION_GROUNDS;
export const ESCALATION_GROUND_KEYS = Object.keys(ESCALATION_GROUNDS) as EscalationGround[];

export function isEscalationGround(v: string | null): v is EscalationGround {
  return v !== null && Object.hasOwn(ESCALATION_GROUNDS, v);
}

/** Null when the ground is one of the article's and carries its document where one is needed; else why not. */
export function escalationGroundProblem(ground: string | null, ref: string | null): string | null {
  if (!ground) return '未说明提级理由';
  if (!isEscalationGround(ground)) return `提级理由“${ground}”不属于第十一条第二款规定的情形`;
  if (ESCALATION_GROUNDS[ground].needsRef && !ref?.trim()) return `提级理由为“${ESCALATION_GROUNDS[ground].zh}”（${ESCALATION_GROUNDS[ground].cite}），须载明指定、交办文件或上级规定的文号`;
  return null;
}
