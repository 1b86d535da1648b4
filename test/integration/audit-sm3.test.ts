import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureChainHash } from '../../src/audit/canonical.js';
import { sealPending } from '../../src/audit/sealer.js';
import { as, newJusticeBureau } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('第八条、第二十四条 审计链以SM3（GB/T 32905）计算哈希时照样可核验（AUDIT_CHAIN_HASH=SM3）', () => {
  let t: TestApp;
  let city: ReturnType<typeof as.supervisor>;

  beforeAll(async () => {
    t = await createTestApp();
    city = as.supervisor((await newJusticeBureau(t.db)).code);
  });
  // The chain hash is configured per process (as boot does); the workers run files one after another.
  afterAll(async () => {
    configureChainHash('SHA-256');
    await t.close();
  });

  describe('a chain sealed partly with SHA-256 and then with SM3', () => {
    it('seals new rows as format 3 and verifies the whole chain across the switch', async () => {
      const district = (code: string, name: string) => t.call({ method: 'POST', url: '/api/v1/districts', as: as.admin(), payload: { code, name, kind: 'administrative' } });
      expect((await district('429901', '测试甲区')).statusCode).toBe(201);
      await sealPending(t.db, t.clock);
      configureChainHash('SM3');
      expect((await district('429902', '测试乙区')).statusCode).toBe(201);
      expect((await district('429903', '测试丙区')).statusCode).toBe(201);
      await sealPending(t.db, t.clock);
      const formats = await t.db.execute<{ format: number }>(sql`SELECT format FROM audit_chain ORDER BY seq`);
      const list = (formats as unknown as { rows: { format: number }[] }).rows.map((r) => Number(r.format));
      expect(list.at(-1)).toBe(3);
      expect(list).toContain(2);
      const verified = (await t.call({ method: 'GET', url: '/api/v1/audit/verify?full=true', as: city })).json();
      expect(verified).toMatchObject({ ok: true });
    });
  });
});
