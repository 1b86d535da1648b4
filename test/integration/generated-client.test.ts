import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import openapiTS from 'openapi-typescript';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectPath } from '../../src/paths.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * The OpenAPI document is a contract an integrator can rely on (issue 23): types generated from it by
 * openapi-typescript, with the openapi-fetch client, type-check the whole path of an inspection — draft,
 * approve, code, scan, findings, notify, close — without a single cast (test/contract/flow.ts). A defaulted
 * parameter marked required, a body left undeclared or a response shape that does not match breaks it.
 * openapi-typescript 6 generates by text and needs no TypeScript API, so it runs beside TypeScript 7.
 */
describeDb('the OpenAPI document as a contract: a generated client compiles a whole inspection without casts', () => {
  let t: TestApp;
  const dir = projectPath('.data', `generated-client-${process.pid}-${process.env.TEST_DB}`);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('type-checks draft → approve → code → scan → findings → notify → close against the generated types', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'api.d.ts'), await openapiTS(t.app.swagger() as never));
    const flow = readFileSync(projectPath('test', 'contract', 'flow.ts'), 'utf8');
    const code = flow.replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/\bas\s+(?!const\b)[A-Za-z{[(]/);
    expect(code).not.toMatch(/@ts-|\bany\b|!\./);
    writeFileSync(join(dir, 'flow.ts'), flow);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true, types: [] }, files: ['flow.ts'] }),
    );
    const tsc = join(createRequire(import.meta.url).resolve('typescript/package.json'), '..', 'bin', 'tsc');
    let out = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? err);
    }
    expect(out).toBe('');
  });
});
