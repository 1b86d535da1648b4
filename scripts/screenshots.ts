import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, desc, eq, gte, lte } from 'drizzle-orm';
import { signDevToken, loadOrCreateDevKey } from '../src/auth/dev-key.js';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config/config.js';
import { inspectionCodes, inspections } from '../src/db/schema/index.js';
import { projectPath } from '../src/paths.js';
import { launchChromium } from './chromium.js';

/**
 * npm run screenshots: starts the server on a fresh PGlite with the demo data (seeds/demo.ts, including
 * seeds/demo-activity.ts), signs a city supervisor and an enterprise in, and saves the console's
 * dashboard and flag register and the check page after the one-tap check into docs/screenshots/.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'wh327-screenshots-'));
Object.assign(process.env, { DATA_DIR: dataDir, SEED_DEMO: 'true', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', AUTH_DEV_TOKENS: 'true' });
delete process.env.DATABASE_URL;
delete process.env.CLOCK_START;

const out = projectPath('docs', 'screenshots');
mkdirSync(out, { recursive: true });
const config = loadConfig();
const { app, database } = await boot(config);
const browser = await launchChromium({ width: 1366, height: 900 });
try {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  const devKey = loadOrCreateDevKey(config.dataDir);
  const supervisor = signDevToken(devKey, { sub: 'supervisor:WH-SFJ', role: 'supervisor', agency: 'WH-SFJ', name: '市司法局监督员' });

  const page = await browser.context.newPage();
  await page.goto(`${base}/console/`);
  await page.getByTestId('token-input').fill(supervisor);
  await page.getByTestId('signin').click();
  await page.getByTestId('dashboard').waitFor();
  await page.screenshot({ path: join(out, 'console-dashboard.png'), fullPage: true });
  await page.goto(`${base}/console/#/flags?limit=20`);
  await page.getByTestId('flags-table').waitFor();
  await page.screenshot({ path: join(out, 'console-flags.png') });

  // The demo's visit under way now: its code is valid, and its enterprise checks it in one tap.
  const now = new Date();
  const [code] = await database.db
    .select({ code: inspectionCodes.code, kid: inspectionCodes.kid, signature: inspectionCodes.signature, enterprise: inspections.enterpriseCode })
    .from(inspectionCodes)
    .innerJoin(inspections, eq(inspections.id, inspectionCodes.inspectionId))
    .where(and(eq(inspectionCodes.state, 'active'), lte(inspectionCodes.validFrom, now), gte(inspectionCodes.validTo, now)))
    .orderBy(desc(inspectionCodes.issuedAt))
    .limit(1);
  if (!code) throw new Error('the demo data has no code valid now');
  const enterprise = signDevToken(devKey, { sub: `enterprise:${code.enterprise}`, role: 'enterprise', creditCode: code.enterprise });
  const phone = await browser.context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${base}/portal/`);
  await phone.getByTestId('token-input').fill(enterprise);
  await phone.getByTestId('signin').click();
  await phone.getByTestId('code-input').waitFor();
  await phone.goto(`${base}/v/${code.code}?k=${code.kid}&s=${code.signature}`);
  await phone.getByTestId('verify').click();
  await phone.getByTestId('verify-answer').waitFor();
  await phone.screenshot({ path: join(out, 'check-page.png'), fullPage: true });
  console.log(`screenshots saved in ${out}: console-dashboard.png, console-flags.png, check-page.png`);
} finally {
  await browser.close();
  // boot.ts closes the database in an onClose hook that runs before the app's own hook stops the
  // code-check LISTEN; stopping it first keeps that hook from touching a closed database.
  await app.services.codeChecks.close();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
