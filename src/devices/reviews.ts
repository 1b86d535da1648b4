/**
 * The two reviews a monitoring device needs before its data may fix a violation (Art. 35). Each point is
 * recorded with its answer and a note; the lists below are the article's own items, in order.
 */
export interface ReviewAnswer {
  /** True when the point is satisfied. */
  satisfied: boolean;
  note: string;
}

export interface ReviewPoint<K extends string> {
  key: K;
  item: number;
  textZh: string;
  /** False for a point that is recorded but does not decide the review (see soleEvidenceBasis). */
  decisive: boolean;
}

export const LEGAL_REVIEW_POINTS = [
  { key: 'reasonableAndLawful', item: 1, textZh: '设备设置是否合理，是否违反法律、法规、规章禁止性规定', decisive: true },
  { key: 'siteAndSign', item: 2, textZh: '设备设置的场所是否合法、合理，标志是否明显', decisive: true },
  // Whether device evidence ALONE may ground a penalty: a "no" does not stop the device, it only means its
  // data must be corroborated, so it is recorded and shown but does not fail the review.
  { key: 'soleEvidenceBasis', item: 3, textZh: '单凭电子技术监控设备收集、固定的违法事实实施行政处罚，是否有法律、行政法规依据', decisive: false },
  { key: 'otherLegalRequirements', item: 4, textZh: '法律、法规、规章规定的其他内容', decisive: true },
] as const satisfies readonly ReviewPoint<string>[];

export const TECHNICAL_REVIEW_POINTS = [
  { key: 'qualityCertificate', item: 1, textZh: '是否具有符合《中华人民共和国产品质量法》规定的产品质量检验合格证明', decisive: true },
  { key: 'reliableAndComplete', item: 2, textZh: '性能是否可靠、功能是否完备', decisive: true },
  { key: 'meetsStandards', item: 3, textZh: '技术条件是否符合国家、行业或者地方标准', decisive: true },
  { key: 'otherTechnicalRequirements', item: 4, textZh: '法律、法规、规章规定的其他内容', decisive: true },
] as const satisfies readonly ReviewPoint<string>[];

export type LegalPointKey = (typeof LEGAL_REVIEW_POINTS)[number]['key'];
export type TechnicalPointKey = (typeof TECHNICAL_REVIEW_POINTS)[number]['key'];

export interface ReviewRecord {
  kind: 'legal' | 'technical';
  article: string;
  passed: boolean;
  points: { key: string; item: number; textZh: string; satisfied: boolean; note: string }[];
  failedItems: number[];
  reviewer: string;
  reviewedAt: string;
}

function outcome<K extends string>(
  kind: 'legal' | 'technical',
  article: string,
  points: readonly ReviewPoint<K>[],
  answers: Record<K, ReviewAnswer>,
  reviewer: string,
  at: Date,
): ReviewRecord {
  const recorded = points.map((p) => ({ key: p.key, item: p.item, textZh: p.textZh, satisfied: answers[p.key].satisfied, note: answers[p.key].note }));
  const failedItems = points.filter((p) => p.decisive && !answers[p.key].satisfied).map((p) => p.item);
  return { kind, article, passed: failedItems.length === 0, points: recorded, failedItems, reviewer, reviewedAt: at.toISOString() };
}

/** Art. 35: the legal review passes when every decisive point is satisfied. */
export function legalReviewOutcome(answers: Record<LegalPointKey, ReviewAnswer>, reviewer: string, at: Date): ReviewRecord {
  return outcome('legal', '第三十五条', LEGAL_REVIEW_POINTS, answers, reviewer, at);
}

/** Art. 36: the technical review passes when every point is satisfied (point 1 names the certificate). */
export function technicalReviewOutcome(answers: Record<TechnicalPointKey, ReviewAnswer>, reviewer: string, at: Date): ReviewRecord {
  return outcome('technical', '第三十六条', TECHNICAL_REVIEW_POINTS, answers, reviewer, at);
}
