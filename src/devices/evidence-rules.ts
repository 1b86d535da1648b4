import { ruleResult, type RuleResult } from '../rules/result.js';

/** What decides whether a device's data may serve as evidence, as of the moment it was captured. */
export interface DeviceEvidenceFacts {
  id: string;
  legalReviewPassedAt: Date | null;
  technicalReviewPassedAt: Date | null;
  publishedAt: Date | null;
}

const passedBy = (at: Date | null, capturedAt: Date) => at !== null && at.getTime() <= capturedAt.getTime();

/**
 * DEVICE_UNREVIEWED (Art. 35, 36) and DEVICE_NOT_PUBLISHED (Art. 34) for one piece of evidence. Judged at
 * the capture time, not today: data a device collected before its reviews or before its location was
 * published stays unusable even after the device is put right.
 */
export function deviceEvidenceChecks(d: DeviceEvidenceFacts, capturedAt: Date): RuleResult[] {
  const legal = passedBy(d.legalReviewPassedAt, capturedAt);
  const technical = passedBy(d.technicalReviewPassedAt, capturedAt);
  const missing = [...(legal ? [] : ['legal']), ...(technical ? [] : ['technical'])];
  const published = passedBy(d.publishedAt, capturedAt);
  const when = capturedAt.toISOString();
  return [
    ruleResult(
      'DEVICE_UNREVIEWED',
      missing.length === 0,
      { device: d.id, missing, capturedAt: when },
      'legal and technical review passed before capture',
      `监控设备 ${d.id} 在采集该数据时（${when}）尚未通过${missing.map((m) => (m === 'legal' ? '法制审核' : '技术审核')).join('和')}，其数据不得作为证据（第三十五条、第三十六条）`,
    ),
    ruleResult(
      'DEVICE_NOT_PUBLISHED',
      published,
      { device: d.id, publishedAt: d.publishedAt?.toISOString() ?? null, capturedAt: when },
      'location published before capture',
      `监控设备 ${d.id} 在采集该数据时（${when}）设置地点尚未向社会公布，其数据不得作为证据（第三十四条）`,
    ),
  ];
}
