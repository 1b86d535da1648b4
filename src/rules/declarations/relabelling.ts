import { a, defineRule, job } from '../define.js';

// ---- Signs of relabelling (Art. 6, 9, 15; issue 22): one declaration per rule ----

export const CaseRelabelling = defineRule({
  id: 'CASE_RELABELLING',
  articles: [a(9), a(15)],
  kind: 'detector',
  severity: 'high',
  titleZh: '日常检查达到频次上限后个案检查明显增加',
  titleEn: 'Case inspections rising while routine inspections meet their caps',
  raisers: { raisedBy: [job('case-relabelling')] },
});

export const LeadShared = defineRule({
  id: 'LEAD_SHARED',
  articles: [a(9)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '同一线索编号用于多家企业的个案检查',
  titleEn: 'One lead reference serving case inspections of several enterprises',
  raisers: { raisedBy: [job('lead-shared')] },
});

export const DeclarationsAbovePeers = defineRule({
  id: 'DECLARATIONS_ABOVE_PEERS',
  articles: [a(6)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '声明事项明显多于同级同类主体',
  titleEn: 'Declared exemptions far above the agency’s peers',
  raisers: { raisedBy: [job('declarations-above-peers')] },
});
