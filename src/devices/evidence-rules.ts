import { ruleResult, type RuleResult } from '../rules/result.js';

/** What decides whether a device's data may serve as evidence, as of the moment it was captured. */
export interface DeviceEvidenceFacts {
  id: string;
  /** Named as people name it in messages: its registered name and location. */
  name: string;
  location: string;
  /** States entered and when; empty for rows older than the log (then activatedAt / retiredAt decide). */
  stateLog: { state: string; from: string }[];
  activatedAt: Date | null;
  retiredAt: Date | null;
  legalReviewPassedAt: Date | null;
  technicalReviewPassedAt: Date | null;
  publishedAt: Date | null;
}

const STATE_ZH: Record<string, string> = {
  registered: '已登记未审核',
  legal_reviewed: '已通过法制审核、未通过技术审核',
  technical_reviewed: '已通过技术审核、未通过法制审核',
  reviewed: '已通过审核、未公布设置地点',
  published: '已公布设置地点、未正式投入使用',
  in_use: '使用中',
  maintenance: '维护中',
  retired: '已停用',
};

/** The device's state when the data was captured. */
export function stateAt(d: DeviceEvidenceFacts, capturedAt: Date): string {
  const t = capturedAt.getTime();
  if (d.stateLog.length > 0) {
    let state = 'registered';
    for (const e of d.stateLog) if (new Date(e.from).getTime() <= t) state = e.state;
    return state;
  }
  if (d.retiredAt && d.retiredAt.getTime() <= t) return 'retired';
  if (d.activatedAt && d.activatedAt.getTime() <= t) return 'in_use';
  return 'published';
}

const passedBy = (at: Date | null, capturedAt: Date) => at !== null && at.getTime() <= capturedAt.getTime();

const named = (d: DeviceEvidenceFacts) => `监控设备“${d.name}”（${d.location}）`;

/** Art. 35, 36: the legal and the technical review had both passed when the data was captured. */
export function DEVICE_UNREVIEWED(d: DeviceEvidenceFacts, capturedAt: Date): RuleResult {
  const missing = [...(passedBy(d.legalReviewPassedAt, capturedAt) ? [] : ['legal']), ...(passedBy(d.technicalReviewPassedAt, capturedAt) ? [] : ['technical'])];
  const when = capturedAt.toISOString();
  return ruleResult(
    'DEVICE_UNREVIEWED',
    missing.length === 0,
    { device: d.id, missing, capturedAt: when },
    'legal and technical review passed before capture',
    `${named(d)}在采集该数据时（${when}）尚未通过${missing.map((m) => (m === 'legal' ? '法制审核' : '技术审核')).join('和')}，其数据不得作为证据（第三十五条、第三十六条）`,
  );
}

/** Art. 34: the device's location had been published when the data was captured. */
export function DEVICE_NOT_PUBLISHED(d: DeviceEvidenceFacts, capturedAt: Date): RuleResult {
  const when = capturedAt.toISOString();
  return ruleResult(
    'DEVICE_NOT_PUBLISHED',
    passedBy(d.publishedAt, capturedAt),
    { device: d.id, publishedAt: d.publishedAt?.toISOString() ?? null, capturedAt: when },
    'location published before capture',
    `${named(d)}在采集该数据时（${when}）设置地点尚未向社会公布，其数据不得作为证据（第三十四条）`,
  );
}

/** Art. 34, 37: the device was in use — not before activation, in maintenance or retired — at capture. */
export function DEVICE_NOT_IN_USE(d: DeviceEvidenceFacts, capturedAt: Date): RuleResult {
  const when = capturedAt.toISOString();
  const state = stateAt(d, capturedAt);
  return ruleResult(
    'DEVICE_NOT_IN_USE',
    state === 'in_use',
    { device: d.id, stateAtCapture: state, capturedAt: when },
    'in_use at capture',
    `${named(d)}在采集该数据时（${when}）处于“${STATE_ZH[state] ?? state}”状态，并非正式投入使用中，其数据不得作为证据（第三十四条、第三十七条）`,
  );
}

/**
 * The three device rules for one piece of evidence, judged at the capture time, not today: data a device
 * collected before its reviews or before its location was published stays unusable even after the device
 * is put right.
 */
export function deviceEvidenceChecks(d: DeviceEvidenceFacts, capturedAt: Date): RuleResult[] {
  return [DEVICE_UNREVIEWED(d, capturedAt), DEVICE_NOT_PUBLISHED(d, capturedAt), DEVICE_NOT_IN_USE(d, capturedAt)];
}
