import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeCreditCode } from '../../seeds/credit-codes.js';
import { generateDevKey, signDevToken } from '../../src/auth/dev-key.js';
import type { Principal } from '../../src/auth/principal.js';
import { as, newAgency, newDistrict, newEnterprise, newJusticeBureau, newMatter } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('reference registry: access by role and scope', () => {
  let t: TestApp;
  let districtCode: string;
  let agencyCode: string;
  let own: string;
  let other: string;
  let roles: Record<string, Principal>;

  beforeAll(async () => {
    t = await createTestApp();
    const district = await newDistrict(t.db, { code: '420106', name: '武昌区' });
    districtCode = district.code;
    const agency = await newAgency(t.db, { level: 'district', districtCode });
    agencyCode = agency.code;
    const bureau = await newJusticeBureau(t.db, { level: 'district', districtCode });
    await newMatter(t.db, agencyCode);
    own = (await newEnterprise(t.db, { districtCode })).creditCode;
    other = (await newEnterprise(t.db, { districtCode })).creditCode;
    roles = {
      officer: as.officer(agencyCode),
      agency_head: as.head(agencyCode),
      supervisor: as.supervisor(bureau.code, districtCode),
      enterprise: as.enterprise(own),
      admin: as.admin(),
    };
  });
  afterAll(() => t.close());

  it('lets every signed-in role read districts, agencies and matters, and nobody anonymous', async () => {
    for (const url of ['/api/v1/districts', '/api/v1/agencies', `/api/v1/agencies/${agencyCode}`, `/api/v1/matters?agency=${agencyCode}`]) {
      for (const [name, p] of Object.entries(roles)) {
        const res = await t.call({ method: 'GET', url, as: p });
        expect(res.statusCode, `${name} GET ${url}`).toBe(200);
      }
      const anon = await t.call({ method: 'GET', url });
      expect(anon.statusCode).toBe(401);
      expect(anon.json().code).toBe('UNAUTHENTICATED');
    }
  });

  it('lets only admins write reference data', async () => {
    const body = { code: 'T-NEW', name: '测试新区', kind: 'functional', sort: 99 };
    for (const name of ['officer', 'agency_head', 'supervisor', 'enterprise']) {
      const res = await t.call({ method: 'POST', url: '/api/v1/districts', payload: body, as: roles[name] });
      expect(res.statusCode, name).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN_ROLE', status: 403 });
    }
    const ok = await t.call({ method: 'POST', url: '/api/v1/districts', payload: body, as: roles.admin });
    expect(ok.statusCode).toBe(201);
    const again = await t.call({ method: 'POST', url: '/api/v1/districts', payload: body, as: roles.admin });
    expect(again.json().code).toBe('ALREADY_EXISTS');
  });

  it('shows an enterprise its own record and refuses another enterprise’s', async () => {
    const mine = await t.call({ method: 'GET', url: `/api/v1/enterprises/${own}`, as: roles.enterprise });
    expect(mine.statusCode).toBe(200);
    const theirs = await t.call({ method: 'GET', url: `/api/v1/enterprises/${other}`, as: roles.enterprise });
    expect(theirs.statusCode).toBe(403);
    expect(theirs.json().code).toBe('OUT_OF_SCOPE');
    expect(theirs.body).not.toContain('有限公司'); // no name leaks
    const list = await t.call({ method: 'GET', url: '/api/v1/enterprises?limit=500', as: roles.enterprise });
    expect(list.json().map((e: { creditCode: string }) => e.creditCode)).toEqual([own]);
    const officerList = await t.call({ method: 'GET', url: '/api/v1/enterprises?limit=500', as: roles.officer });
    expect(officerList.json().length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a credit code with a wrong check character as a 400 naming the field', async () => {
    const valid = makeCreditCode('limited_company', '420106', 777_001);
    const wrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/enterprises',
      as: roles.admin,
      payload: { creditCode: wrong, name: '武汉错码有限公司', districtCode, address: '武昌区中北路2号', entityType: 'limited_company' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'CREDIT_CODE_INVALID', errors: [{ field: 'body.creditCode' }] });
    expect(res.json().detail).toContain(`校验码应为 ${valid[17]}`);
  });

  it('registers an enterprise with its scope derived from the entity type (Art. 4, 42)', async () => {
    const cases = [
      ['limited_company', 'in_scope'],
      ['individual_business', 'by_reference'],
      ['social_organization', 'out_of_scope'],
    ] as const;
    for (const [i, [entityType, scope]] of cases.entries()) {
      const creditCode = makeCreditCode(entityType, '420106', 888_000 + i);
      const res = await t.call({
        method: 'POST',
        url: '/api/v1/enterprises',
        as: roles.admin,
        payload: { creditCode, name: `武汉范围测试${i}`, districtCode, address: '武昌区中北路3号', entityType, riskClass: 'A' },
      });
      expect(res.statusCode, entityType).toBe(201);
      expect(res.json()).toMatchObject({ creditCode, scope, riskClass: 'A' });
    }
  });

  it('refuses an unknown district, enum or extra field with the field named', async () => {
    const creditCode = makeCreditCode('limited_company', '420106', 999_001);
    const base = { creditCode, name: '武汉字段测试有限公司', districtCode, address: '地址', entityType: 'limited_company' };
    const badDistrict = await t.call({ method: 'POST', url: '/api/v1/enterprises', as: roles.admin, payload: { ...base, districtCode: 'NOPE' } });
    expect(badDistrict.json()).toMatchObject({ code: 'REFERENCE_INVALID', errors: [{ field: 'body.districtCode' }] });
    const badEnum = await t.call({ method: 'POST', url: '/api/v1/enterprises', as: roles.admin, payload: { ...base, entityType: 'llc' } });
    expect(badEnum.statusCode).toBe(400);
    expect(badEnum.json().errors[0].field).toBe('body.entityType');
    const missing = await t.call({ method: 'POST', url: '/api/v1/enterprises', as: roles.admin, payload: { ...base, name: undefined } });
    expect(missing.json().errors[0].field).toBe('body.name');
  });

  it('checks agency facts: a district agency needs its district; an entrusted one its entrusting organ (Art. 3)', async () => {
    const base = { code: 'AG-X1', name: '测试执法局', kind: 'organ', level: 'district', domains: ['market'] };
    const noDistrict = await t.call({ method: 'POST', url: '/api/v1/agencies', as: roles.admin, payload: base });
    expect(noDistrict.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'body.districtCode' }] });
    const entrusted = await t.call({ method: 'POST', url: '/api/v1/agencies', as: roles.admin, payload: { ...base, districtCode, kind: 'entrusted' } });
    expect(entrusted.json().errors[0].field).toBe('body.parentCode');
    const ok = await t.call({ method: 'POST', url: '/api/v1/agencies', as: roles.admin, payload: { ...base, districtCode, kind: 'entrusted', parentCode: agencyCode } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ code: 'AG-X1', level: 'district', districtCode, parentCode: agencyCode });
  });

  it('第三条 refuses an entrusted organisation with a domain its entrusting organ lacks (委托范围)', async () => {
    const beyond = await t.call({ method: 'POST', url: '/api/v1/agencies', as: roles.admin, payload: { code: 'AG-X2', name: '测试受委托组织', kind: 'entrusted', level: 'district', districtCode, parentCode: agencyCode, domains: ['market', 'fire'] } });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json()).toMatchObject({ errors: [{ field: 'body.domains' }] });
    expect(beyond.json().errors[0].message ?? beyond.body).toContain('委托');
  });

  it('refuses expired tokens, tokens signed by another key and tokens missing their scope claim', async () => {
    // Past JWT_CLOCK_SKEW_SECONDS (30 s by default): within it, a token just expired is still taken.
    const expired = signDevToken(t.devKey, roles.officer!, -120);
    const r1 = await t.call({ method: 'GET', url: '/api/v1/districts', headers: { authorization: `Bearer ${expired}` } });
    expect(r1.json().code).toBe('TOKEN_EXPIRED');
    const foreign = signDevToken(generateDevKey(), roles.admin!);
    const r2 = await t.call({ method: 'GET', url: '/api/v1/districts', headers: { authorization: `Bearer ${foreign}` } });
    expect(r2.statusCode).toBe(401);
    expect(r2.json().code).toBe('UNAUTHENTICATED');
    const noAgency = signDevToken(t.devKey, { sub: 'x', role: 'officer' } as Principal);
    const r3 = await t.call({ method: 'GET', url: '/api/v1/districts', headers: { authorization: `Bearer ${noAgency}` } });
    expect(r3.json().detail).toBe('令牌声明不完整：执法人员的令牌须载明所属行政执法主体或司法行政部门');
  });
});
