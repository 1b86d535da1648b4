import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, desc, eq, gte, inArray, like, lte } from 'drizzle-orm';
import { signDevToken, loadOrCreateDevKey } from '../src/auth/dev-key.js';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config/config.js';
import { enterprises, flags, inspectionCodes, inspections } from '../src/db/schema/index.js';
import { projectPath } from '../src/paths.js';
import { launchChromium } from './chromium.js';

/**
 * npm run screenshots: starts the server on a fresh PGlite with the demo data (seeds/demo.ts, including
 * seeds/demo-activity.ts), signs a city supervisor and an enterprise in, and saves the console's
 * dashboard, flag register and audit-log page, a 督办 sent and as the agency's head sees it, and the check
 * page's one verdict after the one-tap check into docs/screenshots/; then walks the officers' app (掌上执法)
 * on a phone from the sign-in at the local identity provider through a draft to a scanned code, as the
 * README tells a newcomer to.
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
  await page.goto(`${base}/console/#/audit`);
  await page.getByTestId('audit-view').waitFor();
  await page.screenshot({ path: join(out, 'console-audit.png') });

  // 督办 (第六条第二款): the supervisor sends the agency of an open flag a notice with a deadline.
  const [flag] = await database.db
    .select({ id: flags.id, agency: flags.agencyCode })
    .from(flags)
    // An agency whose head the local identity provider lists (src/oidc/demo-people.ts).
    .where(and(eq(flags.state, 'open'), inArray(flags.agencyCode, ['420106-SCJG', 'WH-YJGL', 'WH-STHJ'])))
    .orderBy(desc(flags.raisedAt))
    .limit(1);
  if (!flag) throw new Error('the demo data has no open flag against an agency');
  const due = new Date(Date.now() + 7 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  const sent = await app.inject({
    method: 'POST',
    url: '/api/v1/supervision-notices',
    headers: { authorization: `Bearer ${supervisor}`, 'idempotency-key': 'screenshots-notice' },
    payload: { flagId: flag.id, dueDate: due, request: '请核查该次检查的情况，于期限内报送整改措施。' },
  });
  if (sent.statusCode !== 201) throw new Error(`the 督办 was refused: ${sent.body}`);
  const noticeId = sent.json().id as string;
  await page.goto(`${base}/console/#/notices/${noticeId}`);
  await page.getByTestId('notice-facts').waitFor();
  await page.screenshot({ path: join(out, 'console-supervision-notice.png'), fullPage: true });

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

  // 掌上执法 on a phone, the README's newcomer path on the demo data: a district market-regulation officer
  // drafts a scheme (the pre-check in view), the head approves it, the officer gets the code and scans it.
  const AGENCY = '420106-SCJG';
  const [target] = await database.db
    .select({ name: enterprises.name, creditCode: enterprises.creditCode })
    .from(enterprises)
    .where(and(eq(enterprises.districtCode, '420106'), eq(enterprises.scope, 'in_scope'), like(enterprises.name, '%有限公司')))
    .orderBy(enterprises.name)
    .limit(1);
  if (!target) throw new Error('the demo data has no enterprise in 武昌区');
  const officerPage = await browser.context.newPage();
  await officerPage.setViewportSize({ width: 390, height: 844 });
  // Irreversible steps (批准, 发出) ask first: the newcomer confirms.
  officerPage.on('dialog', (d) => void d.accept());
  /** Signs in as a newcomer does: 统一身份认证登录, then a person picked at the local identity provider. */
  const signInOfficerApp = async (role: 'officer' | 'agency_head', shot?: string, agency = AGENCY) => {
    await officerPage.goto(`${base}/officer/`);
    if (await officerPage.getByTestId('signout').isVisible()) await officerPage.getByTestId('signout').click();
    if (shot) await officerPage.screenshot({ path: join(out, 'officer-signin.png') });
    await officerPage.getByTestId('signin-oidc').click();
    const person = officerPage.locator(`[data-person^="${role}:${agency}:"]`).first();
    await person.waitFor();
    if (shot) await officerPage.screenshot({ path: join(out, shot), fullPage: true });
    await person.click();
    await officerPage.getByRole('heading', { name: /今日工作/ }).waitFor();
  };
  await signInOfficerApp('officer', 'signin-provider.png');
  await officerPage.screenshot({ path: join(out, 'officer-today.png'), fullPage: true });
  await officerPage.goto(`${base}/officer/#/draft`);
  await officerPage.getByTestId('draft-form').waitFor();
  await officerPage.locator('[data-matter="SCJG-003"]').check();
  await officerPage.getByTestId('enterprise-query').fill(target.name);
  await officerPage.getByTestId('enterprise-search').click();
  await officerPage.locator(`[data-enterprise="${target.creditCode}"]`).click();
  // The window from the next minute: the screenshots may be taken at night, when the form proposes the
  // next working day, and the path ends with a scan that must fall inside the window.
  const opensAt = Math.ceil((Date.now() + 60_000) / 60_000) * 60_000;
  const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
  await officerPage.getByTestId('window-start').fill(local(opensAt));
  await officerPage.getByTestId('window-end').fill(local(opensAt + 4 * 3_600_000));
  // Certificate first, as the local provider's demo officers hold them: naming a known officer fills an
  // empty certificate field by itself.
  await officerPage.locator('[data-role=officer-cert]').nth(0).fill('42010020230001');
  await officerPage.locator('[data-role=officer-name]').nth(0).fill('王晓明');
  await officerPage.getByTestId('pre-check-summary').waitFor();
  await officerPage.screenshot({ path: join(out, 'officer-draft-precheck.png'), fullPage: true });
  await officerPage.locator('[data-role=officer-cert]').nth(1).fill('42010020230002');
  await officerPage.locator('[data-role=officer-name]').nth(1).fill('陈丽华');
  await officerPage.waitForFunction(() => document.querySelector('[data-testid=pre-check-summary]')?.getAttribute('data-passed') === 'true', null, { timeout: 10_000 }).catch(async () => {
    throw new Error(`the demo scheme does not pass its pre-check: ${await officerPage.getByTestId('pre-check').textContent()}`);
  });
  await officerPage.getByTestId('submit-draft').click();
  await officerPage.getByTestId('inspection').waitFor();
  const inspectionId = officerPage.url().split('/inspection/')[1]!;
  // The 督办 as the flagged agency's head finds it on the phone, to answer.
  await signInOfficerApp('agency_head', undefined, flag.agency!);
  await officerPage.goto(`${base}/officer/#/supervision`);
  await officerPage.locator(`[data-notice="${noticeId}"]`).waitFor();
  await officerPage.screenshot({ path: join(out, 'officer-supervision.png'), fullPage: true });
  await signInOfficerApp('agency_head');
  await officerPage.goto(`${base}/officer/#/approvals`);
  await officerPage.locator(`[data-inspection="${inspectionId}"]`).getByTestId('approve').click();
  await officerPage.getByTestId('approval-queue').waitFor();
  await signInOfficerApp('officer');
  await officerPage.goto(`${base}/officer/#/inspection/${inspectionId}`);
  await officerPage.getByTestId('issue-code').click();
  await officerPage.getByTestId('code-screen').waitFor();
  await officerPage.screenshot({ path: join(out, 'officer-code.png'), fullPage: true });
  await new Promise((r) => setTimeout(r, Math.max(0, opensAt + 2_000 - Date.now())));
  await officerPage.getByTestId('scan').click();
  await officerPage.locator('[data-testid=findings-form], [data-testid=problem]').first().waitFor();
  if (await officerPage.getByTestId('problem').isVisible()) throw new Error(`the entry scan was refused: ${await officerPage.getByTestId('problem').textContent()}`);
  console.log(`screenshots saved in ${out}: console-dashboard.png, console-flags.png, console-audit.png, console-supervision-notice.png, check-page.png, officer-signin.png, signin-provider.png, officer-supervision.png, officer-today.png, officer-draft-precheck.png, officer-code.png`);
  console.log(`officer path on the demo data: ${AGENCY} → ${target.name} (${target.creditCode})`);
} finally {
  await browser.close();
  // boot.ts closes the database in an onClose hook that runs before the app's own hook stops the
  // code-check LISTEN; stopping it first keeps that hook from touching a closed database.
  await app.services.codeChecks.close();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
