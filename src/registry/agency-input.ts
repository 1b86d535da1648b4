import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findDistrict } from './districts.repository.js';
import { findAgency, type NewAgency } from './agencies.repository.js';

/**
 * Cross-field checks the schema cannot express: a district agency names an existing district, a city
 * agency names none, and an entrusted organisation (Art. 3) names the agency that entrusted it.
 */
export async function checkAgencyFacts(db: Db, a: Pick<NewAgency, 'code' | 'kind' | 'level' | 'districtCode' | 'parentCode'>): Promise<void> {
  if (a.level === 'district' && !a.districtCode) throw DomainError.field('body.districtCode', '区级行政执法主体必须填写所在行政区');
  if (a.level === 'city' && a.districtCode) throw DomainError.field('body.districtCode', '市级行政执法主体不填写行政区');
  if (a.districtCode && !(await findDistrict(db, a.districtCode))) {
    throw DomainError.field('body.districtCode', `行政区 ${a.districtCode} 不存在`, 'REFERENCE_INVALID');
  }
  if (a.kind === 'entrusted' && !a.parentCode) {
    throw DomainError.field('body.parentCode', '受委托组织必须填写委托机关（第三条）');
  }
  if (a.parentCode) {
    if (a.parentCode === a.code) throw DomainError.field('body.parentCode', '上级机关不能是自身');
    if (!(await findAgency(db, a.parentCode))) {
      throw DomainError.field('body.parentCode', `上级或委托机关 ${a.parentCode} 不存在`, 'REFERENCE_INVALID');
    }
  }
}
