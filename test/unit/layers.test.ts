import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 25: the layers of docs/ARCHITECTURE.md, checked by dependency-cruiser with the project's rule set
 * (.dependency-cruiser.cjs): machines and rules import nothing from the database, the audit chain or the
 * code signing; the database layer imports no domain code. The CLI runs in a child process (it parses
 * TypeScript with swc, since TypeScript 7 has no compiler API for it), once for the whole of src/ and machines/.
 */
const root = resolve(__dirname, '../..');
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: 'error' | 'warn' | 'info' };
}

function cruise(): { violations: Violation[]; modules: number } {
  let out: string;
  try {
    out = execFileSync(process.execPath, [depcruise, 'src', 'machines', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (err) {
    // depcruise exits non-zero when it finds errors; the report is still on stdout.
    out = String((err as { stdout?: string }).stdout ?? '');
    if (!out) throw err;
  }
  const report = JSON.parse(out) as { summary: { violations: Violation[]; totalCruised: number } };
  return { violations: report.summary.violations, modules: report.summary.totalCruised };
}

/**
 * Violations inside folders other branches are rewriting at the same time (src/db/schema/inspections.ts and
 * src/codes for the visit aggregate, src/rules for the rule declarations): listed here so that any new one
 * fails, and so that fixing one fails too until its line is deleted. The list is to be empty after the merge.
 */

describe('依赖分层（issue 25）', () => {
  it('dependency-cruiser finds no layer violation in src/ and machines/', () => {
    const { violations, modules } = cruise();
    expect(modules).toBeGreaterThan(300);
    const errors = violations.filter((v) => v.rule.severity === 'error').map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(errors.sort()).toEqual([]);
  }, 120_000);

  it('every route file under src/ default-exports the plugin @fastify/autoload registers', () => {
    const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => /routes\.ts$/.test(f) && !f.startsWith('routes/'));
    expect(files.length).toBeGreaterThan(30);
    expect(files.filter((f) => !/^export default \w+;$/m.test(readFileSync(join(root, 'src', f), 'utf8')))).toEqual([]);
  });
});
