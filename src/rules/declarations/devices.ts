import { a, cmd, defineRule } from '../define.js';
import { OFFSITE, OPEN_REFERRAL } from './commands.js';
import { ruleResult, type RuleResult } from '../result.js';

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

// ---- Off-site inspection and devices (Art. 32–37): one declaration per rule ----

export const DeviceNotPublished = defineRule({
  id: 'DEVICE_NOT_PUBLISHED',
  articles: [a(34)],
  kind: 'guard',
  severity: 'high',
  titleZh: '电子技术监控设备设置地点未向社会公布',
  titleEn: 'Monitoring device location not published',
  check: DEVICE_NOT_PUBLISHED,
  raisers: { guardedBy: [OFFSITE, OPEN_REFERRAL] },
});

export const DeviceUnreviewed = defineRule({
  id: 'DEVICE_UNREVIEWED',
  articles: [a(35), a(36)],
  kind: 'guard',
  severity: 'high',
  titleZh: '电子技术监控设备未经法制审核和技术审核',
  titleEn: 'Monitoring device lacks legal or technical review',
  check: DEVICE_UNREVIEWED,
  raisers: { guardedBy: [OFFSITE, OPEN_REFERRAL, cmd('reviewLegal', 'src/devices/commands.ts'), cmd('reviewTechnical', 'src/devices/commands.ts')] },
});

export const DeviceNotInUse = defineRule({
  id: 'DEVICE_NOT_IN_USE',
  articles: [a(34), a(37)],
  kind: 'guard',
  severity: 'high',
  titleZh: '采集数据时电子技术监控设备未正式投入使用（投入使用前、维护中或已停用）',
  titleEn: 'Device not in use when the data was captured',
  check: DEVICE_NOT_IN_USE,
  raisers: { guardedBy: [OFFSITE, OPEN_REFERRAL] },
});

export const OffsiteNotice = defineRule({
  id: 'OFFSITE_NOTICE',
  articles: [a(37)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '未及时告知企业违法行为提示信息',
  titleEn: 'Enterprise not notified of a suspected violation',
  raisers: { notCheckable: { zh: '非现场检查记录违法行为时，平台即在同一事务中生成并向企业送达提示信息，不会出现未告知；平台外发现而未录入的违法行为没有记录，无从检测', en: 'Recording an off-site violation sends the enterprise its notice in the same transaction, so no record lacks one; a violation found outside the platform and never recorded leaves nothing to check', } },
});
