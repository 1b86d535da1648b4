import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateAuditMacKeys } from '../../src/audit/mac.js';
import { sealPending } from '../../src/audit/sealer.js';
import { verifyChain } from '../../src/audit/verify.js';
import { as } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第八条、第二十四条：审计日志可核验。The append MAC key is the app's (services.auditMac), not the process's:
 * two apps built in one process with different keys each sign their entries with their own, so an entry one
 * wrote passes its own verification and is named forged by the other's.
 */
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await createTestApp({ auditMac: generateAuditMacKeys('app-a') });
  b = await createTestApp({ auditMac: generateAuditMacKeys('app-b') });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
});

/** One audited state change through the app's API: an admin creates a functional district. */
async function change(t: TestApp, code: string): Promise<void> {
  const res = await t.call({ method: 'POST', url: '/api/v1/districts', as: as.admin(), payload: { code, name: `测试功能区${code}`, kind: 'functional', sort: 1 } });
  expect(res.statusCode).toBe(201);
}

describeDb('第八条、第二十四条 审计追加认证码：每个应用用自己的密钥', () => {
  it('an entry written by one app passes its own verification and fails the other app’s', async () => {
    // Interleaved, so a key set process-wide by the later app would sign the earlier app's entry too.
    await change(a, 'TA1');
    await change(b, 'TB1');
    await change(a, 'TA2');
    await sealPending(a.db, a.clock);
    await sealPending(b.db, b.clock);
    const own = await verifyChain(a.db, { macKeys: a.app.services.auditMac, full: true });
    expect(own).toMatchObject({ ok: true, macChecked: true, problems: [] });
    expect((await verifyChain(b.db, { macKeys: b.app.services.auditMac, full: true })).problems).toEqual([]);

    const crossed = await verifyChain(a.db, { macKeys: b.app.services.auditMac, full: true });
    expect(crossed.ok).toBe(false);
    expect(crossed.problems.length).toBeGreaterThan(0);
    expect(crossed.problems.every((p) => p.reason === 'forged')).toBe(true);
  });
});
