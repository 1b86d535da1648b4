import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { get } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { csvBody } from '../../src/supervision/csv.js';
import { as, newJusticeBureau } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第八条、第二十四条 全过程可查询: an export is the whole period's record or it is visibly not — never a 200
 * that breaks off while the client believes it holds the file (issue 15).
 */
describeDb('第二十四条 导出：要么完整，要么明示失败', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers problem+json, not 200, when the database fails before the first byte', async () => {
    const supervisor = as.supervisor((await newJusticeBureau(t.db)).code);
    await t.db.execute(sql.raw('ALTER TABLE flags RENAME TO flags_away'));
    try {
      const res = await t.call({ method: 'GET', url: '/api/v1/flags/export.csv?from=2026-01-01&to=2026-12-31', as: supervisor });
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'INTERNAL' });
      expect(res.body).not.toContain('flags_away');
    } finally {
      await t.db.execute(sql.raw('ALTER TABLE flags_away RENAME TO flags'));
    }
    expect((await t.call({ method: 'GET', url: '/api/v1/flags/export.csv?from=2026-01-01&to=2026-12-31', as: supervisor })).statusCode).toBe(200);
  });

  it('breaks the chunked response off when a later batch fails, so the client sees an incomplete download', async () => {
    const app = Fastify({ logger: false });
    async function* batches() {
      yield [{ n: 1 }, { n: 2 }];
      throw new Error('Failed query: select …\nparams: 张三');
    }
    app.get('/export.csv', async (_req, reply) => reply.type('text/csv').send(await csvBody(['n'], batches(), (r: { n: number }) => [r.n])));
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as { port: number };
      const outcome = await new Promise<{ status: number; complete: boolean; body: string; chunked: boolean }>((resolve) => {
        get(`http://127.0.0.1:${port}/export.csv`, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          const done = () => resolve({ status: res.statusCode!, complete: res.complete, body, chunked: res.headers['transfer-encoding'] === 'chunked' });
          res.on('end', done);
          res.on('aborted', done);
          res.on('error', done);
          res.on('close', done);
        });
      });
      expect(outcome.status).toBe(200);
      expect(outcome.chunked).toBe(true);
      expect(outcome.body).toContain('1\r\n2\r\n');
      expect(outcome.complete).toBe(false);
    } finally {
      await app.close();
    }
  });
});
