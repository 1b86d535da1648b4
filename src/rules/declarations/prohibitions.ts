import { a, defineRule } from '../define.js';
import { REPORT } from './commands.js';

// ---- Prohibitions (Art. 40): one declaration per rule ----

export const LegalRepRequired = defineRule({
  id: 'LEGAL_REP_REQUIRED',
  articles: [a(40, 2)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '刻意要求法定代表人到场',
  titleEn: 'Legal representative required to be present',
  raisers: { raisedBy: [REPORT] },
});

export const DisguisedInspection = defineRule({
  id: 'DISGUISED_INSPECTION',
  articles: [a(40, 5)],
  kind: 'detector',
  severity: 'high',
  titleZh: '以观摩、督导、考察等名义变相检查',
  titleEn: 'Disguised inspection',
  raisers: { raisedBy: [REPORT] },
});

export const ProfitSeeking = defineRule({
  id: 'PROFIT_SEEKING',
  articles: [a(40, 1), a(40, 8)],
  kind: 'detector',
  severity: 'high',
  titleZh: '逐利检查：接受馈赠宴请、指定中介或转嫁费用',
  titleEn: 'Profit-seeking inspection',
  raisers: { raisedBy: [REPORT] },
});

export const Quota = defineRule({
  id: 'QUOTA',
  articles: [a(40, 4)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '下达检查指标或与考核挂钩',
  titleEn: 'Inspection quota tied to evaluation',
  raisers: { notCheckable: { zh: '检查指标和考核考评、预算绩效方案不在本平台的数据中，无从判断是否下达指标或与检查频次、罚款数额挂钩', en: 'Evaluation schemes, quotas and budget-performance targets are not in the engine’s data, so a quota or a link to inspection counts or fines cannot be seen', } },
});
