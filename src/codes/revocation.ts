/**
 * What the public learns about a revoked code: a category, never the free-text reason. The reason an
 * agency head writes may name people, a complaint or an investigation (Art. 40(6): 泄露企业商业秘密、个人
 * 隐私 is forbidden), so it stays internal — in the code row and the audit log — and the public check
 * shows only which of these kinds of revocation it was.
 */
import { REVOCATION_CATEGORIES } from '../db/schema/inspections.js';

export { REVOCATION_CATEGORIES };
export type RevocationCategory = (typeof REVOCATION_CATEGORIES)[number];

export const REVOCATION_CATEGORY_ZH: Record<RevocationCategory, string> = {
  inspection_cancelled: '检查已取消',
  team_changed: '检查人员变更',
  schedule_changed: '检查时间调整',
  issued_in_error: '检查码签发信息有误',
  other: '其他原因',
};
