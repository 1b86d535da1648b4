import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findDistrict } from './districts.repository.js';
import { findAgency, type NewAgency } from './agencies.repository.js';

/**
 * Cross-field checks the schema cannot express: a district agency names an existing district, a Wuhan city
 * agency names none, an agency from outside Wuhan names its administrative division (an `outside` district
 * row, so an out-of-area inspection of Art. 12 can be recorded), and an entrusted organisation (Art. 3)
 * names the agency that entrusted it.
 */
export async function checkAgencyFacts(db: Db, a: Pick<NewAgency, 'code' | 'kind' | 'level' | 'districtCode' | 'parentCode'> & Partial<Pick<NewAgency, 'domains'>>): Promise<void> {
  if (a.level === 'district' && !a.districtCode) throw DomainError.field('body.districtCode', '区级行政执法主体必须填写所在行政区');
  const district = a.districtCode ? await findDistrict(db, a.districtCode) : undefined;
  if (a.districtCode && !district) {
    throw DomainError.field('body.districtCode', `行政区 ${a.districtCode} 不存在`, 'REFERENCE_INVALID');
  }
  if (a.level === 'city' && district && district.kind !== 'outside') {
    throw DomainError.field('body.districtCode', '武汉市市级行政执法主体不填写行政区（武汉市以外的行政执法主体填写其行政区划）');
  }
  if (a.kind === 'entrusted' && !a.parentCode) {
    throw DomainError.field('body.parentCode', '受委托组织必须填写委托机关（第三条）');
  }
  if (a.parentCode) {
    if (a.parentCode === a.code) throw DomainError.field('body.parentCode', '上级机关不能是自身');
    const parent = await findAgency(db, a.parentCode);
    if (!parent) {
      throw DomainError.field('body.parentCode', `上级或委托机关 ${a.parentCode} 不存在`, 'REFERENCE_INVALID');
    }
    // Art. 3: 依法受委托组织应当在委托范围内实施行政检查 — an organ can entrust only what it holds itself.
    const beyond = a.kind === 'entrusted' ? (a.domains ?? []).filter((d) => !parent.domains.includes(d)) : [];
    if (beyond.length) {
      throw DomainError.field('body.domains', `受委托组织所列职责领域中有 ${beyond.length} 项不在委托机关${parent.name}的职责范围内，委托范围不能超出委托机关的职责（第三条）`);
    }
  }
}
