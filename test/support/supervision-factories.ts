import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.js';
import { withAuditMac } from '../../src/audit/mac.js';
import { raiseFlag, SYSTEM_ACTOR, type FlagInput } from '../../src/flags/raise.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import type { Enterprise } from '../../src/registry/enterprises.repository.js';
import { newAgency, newDistrict, newEnterprise, newJusticeBureau } from './factories.js';
import { approvedInspection, type InspectionWorld } from './inspection-world.js';
import { testAuditMacKeys, type TestApp } from './test-app.js';

/**
 * Factories for the supervision tests: flags raised the way detectors raise them (raiseFlag, with its
 * audit entry), and a city with two districts, each with its bureau, an agency and an enterprise.
 */
export async function newFlag(db: Db, at: string, input: Partial<FlagInput> & Pick<FlagInput, 'rule'>): Promise<string> {
  // Signed with the test apps' key, as a sweep inside the app would sign it.
  const id = await withAuditMac(testAuditMacKeys(), () =>
    db.transaction((tx) => raiseFlag(tx, new Date(at), SYSTEM_ACTOR, { subjectType: 'inspection', subjectId: randomUUID(), detail: `测试标记 ${input.rule}`, ...input })),
  );
  if (!id) throw new Error('flag not raised');
  return id;
}

export interface TwoDistricts {
  cityBureau: Agency;
  cityAgency: Agency;
  d1: { code: string; bureau: Agency; agency: Agency; enterprise: Enterprise };
  d2: { code: string; bureau: Agency; agency: Agency; enterprise: Enterprise };
}

export async function newTwoDistricts(db: Db): Promise<TwoDistricts> {
  const cityBureau = await newJusticeBureau(db, { name: '武汉市司法局（测试）' });
  const cityAgency = await newAgency(db, { name: '武汉市市场监督管理局（测试）' });
  const district = async (name: string) => {
    const d = await newDistrict(db, { name });
    return {
      code: d.code,
      bureau: await newJusticeBureau(db, { name: `${name}司法局`, districtCode: d.code }),
      agency: await newAgency(db, { name: `${name}市场监督管理局`, districtCode: d.code, parentCode: cityAgency.code }),
      enterprise: await newEnterprise(db, { districtCode: d.code, name: `${name}测试食品有限公司` }),
    };
  };
  return { cityBureau, cityAgency, d1: await district('江岸区'), d2: await district('汉阳区') };
}

/** Draft, approve and issue a code through the API (the inspection world's agency), returning the signed code. */
export async function issuedCode(t: TestApp, w: InspectionWorld, over: Record<string, unknown> = {}): Promise<{ id: string; code: string; kid: string; signature: string }> {
  const id = await approvedInspection(t, w, over);
  const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
  if (res.statusCode !== 201) throw new Error(`code failed: ${res.body}`);
  const { code, kid, signature } = res.json();
  return { id, code, kid, signature };
}

/** Records a compliant visit (the enterprise may then rate it). */
export async function compliantFindings(t: TestApp, w: InspectionWorld, id: string): Promise<void> {
  const res = await t.call({
    method: 'POST',
    url: `/api/v1/inspections/${id}/findings`,
    as: w.officer,
    payload: { methods: ['documents'], items: [{ item: '食品生产许可证', result: 'compliant' }], outcome: { kind: 'no_violation' } },
  });
  if (res.statusCode !== 200) throw new Error(`findings failed: ${res.body}`);
}
