import { describe, expect, it } from 'vitest';
import { deviceEvidenceChecks, type DeviceEvidenceFacts } from '../../src/rules/declarations/devices.js';
import { legalReviewOutcome, technicalReviewOutcome } from '../../src/devices/reviews.js';
import { noticeBody, shanghaiDateTimeZh } from '../../src/offsite/notice-text.js';

const t = (s: string) => new Date(s);
const device: DeviceEvidenceFacts = {
  id: 'dev-1',
  name: '汉口江滩油烟在线监测仪',
  location: '江岸区沿江大道188号',
  legalReviewPassedAt: t('2026-03-01T02:00:00Z'),
  technicalReviewPassedAt: t('2026-03-05T02:00:00Z'),
  publishedAt: t('2026-03-10T02:00:00Z'),
  activatedAt: t('2026-03-10T02:00:00Z'),
  retiredAt: null,
  stateLog: [],
};
const failedRules = (d: DeviceEvidenceFacts, at: string) => deviceEvidenceChecks(d, t(at)).filter((r) => !r.passed).map((r) => r.rule);
const logged: DeviceEvidenceFacts = {
  ...device,
  stateLog: [
    { state: 'registered', from: '2026-02-28T02:00:00Z' },
    { state: 'legal_reviewed', from: '2026-03-01T02:00:00Z' },
    { state: 'reviewed', from: '2026-03-05T02:00:00Z' },
    { state: 'published', from: '2026-03-10T02:00:00Z' },
    { state: 'in_use', from: '2026-03-12T02:00:00Z' },
    { state: 'maintenance', from: '2026-04-01T02:00:00Z' },
    { state: 'in_use', from: '2026-04-03T02:00:00Z' },
    { state: 'retired', from: '2026-05-01T02:00:00Z' },
  ],
};

describe('evidence from monitoring devices (Art. 34–36)', () => {
  it('accepts data captured after both reviews and the publication', () => {
    expect(failedRules(device, '2026-03-10T02:00:00Z')).toEqual([]);
  });

  it('refuses data captured before the technical review, and before publication', () => {
    expect(failedRules(device, '2026-03-04T00:00:00Z')).toEqual(['DEVICE_UNREVIEWED', 'DEVICE_NOT_PUBLISHED', 'DEVICE_NOT_IN_USE']);
    expect(failedRules(device, '2026-03-08T00:00:00Z')).toEqual(['DEVICE_NOT_PUBLISHED', 'DEVICE_NOT_IN_USE']);
  });

  it('第三十四条、第三十七条 refuses data captured before activation, during maintenance or after retirement, naming the state', () => {
    expect(failedRules(logged, '2026-03-11T00:00:00Z')).toEqual(['DEVICE_NOT_IN_USE']);
    expect(failedRules(logged, '2026-03-20T00:00:00Z')).toEqual([]);
    expect(failedRules(logged, '2026-04-02T00:00:00Z')).toEqual(['DEVICE_NOT_IN_USE']);
    expect(failedRules(logged, '2026-04-10T00:00:00Z')).toEqual([]);
    const retired = deviceEvidenceChecks(logged, t('2026-05-02T00:00:00Z')).find((r) => !r.passed)!;
    expect(retired).toMatchObject({ rule: 'DEVICE_NOT_IN_USE', article: '第三十四条、第三十七条', observed: { stateAtCapture: 'retired' } });
    expect(retired.detail).toContain('已停用');
    // Named as people name it: its registered name and location, not its row id.
    expect(retired.detail).toContain('监控设备“汉口江滩油烟在线监测仪”（江岸区沿江大道188号）');
    expect(retired.detail).not.toContain('dev-1');
  });

  it('names the missing review and the articles', () => {
    const [unreviewed, unpublished] = deviceEvidenceChecks({ ...device, legalReviewPassedAt: null }, t('2026-04-01T00:00:00Z'));
    expect(unpublished).toBeDefined();
    expect(unreviewed).toMatchObject({ rule: 'DEVICE_UNREVIEWED', article: '第三十五条、第三十六条', passed: false, observed: { missing: ['legal'] } });
    expect(unreviewed!.detail).toContain('法制审核');
    expect(unpublished).toMatchObject({ rule: 'DEVICE_NOT_PUBLISHED', article: '第三十四条', passed: true });
  });
});

describe('device reviews: every point recorded with its answer and note', () => {
  const ok = { satisfied: true, note: '符合' };
  const at = t('2026-03-01T02:00:00Z');

  it('passes the legal review when the decisive points hold; point 3 (sole evidence basis) is recorded, not decisive', () => {
    const r = legalReviewOutcome({ reasonableAndLawful: ok, siteAndSign: ok, soleEvidenceBasis: { satisfied: false, note: '无依据' }, otherLegalRequirements: ok }, 'officer:a', at);
    expect(r).toMatchObject({ kind: 'legal', article: '第三十五条', passed: true, failedItems: [] });
    expect(r.points.map((p) => p.item)).toEqual([1, 2, 3, 4]);
    expect(r.points[2]).toMatchObject({ key: 'soleEvidenceBasis', satisfied: false, note: '无依据' });
  });

  it('fails a review on any decisive point and says which', () => {
    const legal = legalReviewOutcome({ reasonableAndLawful: ok, siteAndSign: { satisfied: false, note: '无提示标志' }, soleEvidenceBasis: ok, otherLegalRequirements: ok }, 'officer:a', at);
    expect(legal).toMatchObject({ passed: false, failedItems: [2] });
    const tech = technicalReviewOutcome({ qualityCertificate: { satisfied: false, note: '无合格证明' }, reliableAndComplete: ok, meetsStandards: ok, otherTechnicalRequirements: ok }, 'officer:a', at);
    expect(tech).toMatchObject({ kind: 'technical', article: '第三十六条', passed: false, failedItems: [1] });
  });
});

describe('the plain-language notice (Art. 37: 简明扼要)', () => {
  it('says what, when, which rule, how to correct and whom to contact, in that order', () => {
    const body = noticeBody({
      enterpriseName: '武汉长江食品有限公司',
      agencyName: '武昌区市场监督管理局',
      source: 'monitoring',
      observed: '排烟口油烟浓度连续3小时超过2.0mg/m³',
      observedAt: t('2026-04-08T06:30:00Z'),
      ruleBasis: '《饮食业油烟排放标准》',
      howToCorrect: '清洗或更换油烟净化设施',
      correctBy: '2026-04-30',
      contact: { department: '环境监管科', phone: '027-88880000' },
    });
    const order = ['武汉长江食品有限公司：', '电子技术监控', '油烟浓度', '2026年4月8日 14时30分', '《饮食业油烟排放标准》', '2026年4月30日前', '清洗或更换', '环境监管科', '027-88880000', '第三十七条'];
    let at = -1;
    for (const s of order) {
      const i = body.indexOf(s);
      expect(i, s).toBeGreaterThan(at);
      at = i;
    }
    expect(shanghaiDateTimeZh(t('2026-12-31T16:05:00Z'))).toBe('2027年1月1日 0时05分');
  });
});
