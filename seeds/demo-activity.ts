import { eq } from 'drizzle-orm';
import type { Principal } from '../src/auth/principal.js';
import { loadKeyring, type Keyring } from '../src/codes/keyring.js';
import { defaultSettings, loadConfig } from '../src/config/config.js';
import type { Db } from '../src/db/client.js';
import { inspections } from '../src/db/schema/index.js';
import { fileEnterpriseReport } from '../src/supervision/enterprise-report.js';
import { rateInspection } from '../src/supervision/ratings.js';
import { demoContext, type DemoActivity } from './demo-context.js';
import { seedDemoInspections } from './demo-inspections.js';
import { seedDemoPlans } from './demo-plans.js';

/**
 * A small year of activity for the demo, so the supervisors' console has something to show on first
 * start: annual plans filed on time, late and still awaiting filing (seeds/demo-plans.ts); inspections
 * with signed codes, scans, findings and results, one under way now (seeds/demo-inspections.ts); flags
 * from the detectors' rules; an enterprise's report and two ratings through the real commands.
 *
 * Everything is dated relative to `at`, inside its year, so the dashboard's default year shows it. Codes
 * are signed with the keyring the server loads from the same settings (boot.ts loads it after seeding),
 * so they verify offline too.
 */
export type { DemoActivity } from './demo-context.js';

function configuredKeyring(): Keyring {
  const config = loadConfig();
  return loadKeyring({ keysDir: config.codeKeysDir, dataDir: config.dataDir, production: config.env === 'production' });
}

export async function seedDemoActivity(tx: Db, at: Date, keyring: Keyring = configuredKeyring()): Promise<DemoActivity> {
  const c = await demoContext(tx, at, keyring);
  const { hours, scopeAt, enterpriseIn, dayAt, counts } = c;
  const ids = await seedDemoInspections(c, await seedDemoPlans(c));

  // Ratings by the inspected enterprises, through the real command.
  for (const [index, score, comment] of [[0, 5, '检查人员出示检查码，流程规范，用时较短'], [2, 4, '提前告知检查事项，希望检查结果尽快反馈']] as const) {
    const [i] = await tx.select().from(inspections).where(eq(inspections.id, ids[index]!));
    const enterprise: Principal = { sub: `enterprise:${i!.enterpriseCode}`, role: 'enterprise', creditCode: i!.enterpriseCode };
    const when = hours(i!.findingsAt!, 30);
    await rateInspection(tx, scopeAt(when, enterprise), enterprise, i!.id, { score, comment });
    counts.ratings++;
  }

  // An enterprise reports a visit no code covered, with the legal representative summoned (Art. 40(2), 40(5)).
  const reporter = enterpriseIn('420106');
  const enterprise: Principal = { sub: `enterprise:${reporter.creditCode}`, role: 'enterprise', creditCode: reporter.creditCode };
  const visitedAt = dayAt(4, 14);
  const filed = await fileEnterpriseReport(tx, scopeAt(hours(visitedAt, 3), enterprise), enterprise, {
    visitedAt: visitedAt.toISOString(),
    agencyText: '自称区城管执法局“督导组”',
    description: '三人以“督导调研”为名到店查看后厨和仓库，未出示检查码和执法证件，要求法定代表人到场说明情况。',
    prohibitions: ['legal_rep_required', 'disguised_label'],
  }, defaultSettings().reports);
  counts.reports++;
  counts.flags += filed.flags.length;
  return counts;
}
