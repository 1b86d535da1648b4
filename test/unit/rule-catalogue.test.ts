import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderComplianceDoc } from '../../src/cli/compliance-doc.js';
import { projectPath } from '../../src/paths.js';
import { RULES } from '../../src/rules/catalog.js';
import { RAISERS, raisersOf, rolesOf, type CommandRef } from '../../src/rules/raisers.js';
import { SWEEP_JOBS } from '../../src/sweeper/registry.js';

/** Source files under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const read = (path: string) => readFileSync(path, 'utf8');

/** The file and what it imports from the project, three hops deep: "its code, or what it calls". */
function importClosure(file: string, depth = 3): string[] {
  const seen = new Set<string>([file]);
  let frontier = [file];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const f of frontier) {
      for (const m of read(f).matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
        const target = resolve(dirname(f), `${m[1]}.ts`);
        if (existsSync(target) && !seen.has(target)) {
          seen.add(target);
          next.push(target);
        }
      }
    }
    frontier = next;
  }
  return [...seen];
}

// The catalogue names every id; a command "names the rule" only where its own code or its helpers do.
const CATALOGUE = [projectPath('src', 'rules', 'catalog.ts'), projectPath('src', 'rules', 'raisers.ts')];
const namesRule = (files: string[], id: string) => files.some((f) => !CATALOGUE.includes(f) && read(f).includes(`'${id}'`));

function commandProblem(id: string, c: CommandRef): string | null {
  const file = projectPath(c.file);
  if (!existsSync(file)) return `${id}: ${c.file} does not exist`;
  if (!new RegExp(`export (async )?function ${c.command}\\b|export const ${c.command}\\b`).test(read(file))) return `${id}: ${c.file} exports no ${c.command}`;
  if (!namesRule(importClosure(file), id)) return `${id}: ${c.command} (${c.file}) and what it imports never name the rule`;
  return null;
}

describe('the rule catalogue keeps itself honest (issue 11)', () => {
  it('says for every rule how it is applied', () => {
    expect(Object.keys(RAISERS).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it('names for every guard the commands that refuse with it, and every command exists and names the rule', () => {
    const problems: string[] = [];
    for (const r of RULES) {
      const guardedBy = raisersOf(r.id).guardedBy ?? [];
      if (rolesOf(r).includes('guard') && guardedBy.length === 0) problems.push(`${r.id}: a guard no command applies`);
      if (!rolesOf(r).includes('guard') && guardedBy.length > 0) problems.push(`${r.id}: refused by commands but not a guard in the catalogue`);
      for (const c of guardedBy) problems.push(commandProblem(r.id, c) ?? '');
    }
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it('gives every detector a raiser (command or sweeper job) or the reason it cannot be checked', () => {
    // Detector halves another change in flight adds (issue 11: plans and scope engineers); nothing else may wait.
    const pendingAllowed: string[] = [];
    const problems: string[] = [];
    for (const r of RULES) {
      const how = raisersOf(r.id);
      const isDetector = rolesOf(r).includes('detector');
      const raised = (how.raisedBy?.length ?? 0) > 0;
      if (isDetector && !raised && !how.notCheckable && !how.pending) problems.push(`${r.id}: a detector nothing raises and no reason given`);
      if (how.pending && !pendingAllowed.includes(r.id)) problems.push(`${r.id}: pending is only for detector halves in flight`);
      if (!isDetector && (raised || how.notCheckable)) problems.push(`${r.id}: raised or reasoned about, but not a detector in the catalogue`);
      if (raised && how.notCheckable) problems.push(`${r.id}: both raised and not checkable`);
      for (const where of how.raisedBy ?? []) {
        if ('job' in where) {
          const job = SWEEP_JOBS.find((j) => j.name === where.job);
          if (!job) problems.push(`${r.id}: no sweeper job ${where.job} in src/sweeper/registry.ts`);
          else if (job.rule !== r.id) problems.push(`${r.id}: sweeper job ${where.job} raises ${job.rule}`);
          const source = sources(projectPath('src', 'sweeper', 'jobs')).find((f) => read(f).includes(`name: '${where.job}'`));
          if (!source || !namesRule(importClosure(source), r.id)) problems.push(`${r.id}: the source of ${where.job} never names the rule`);
        } else {
          problems.push(commandProblem(r.id, where) ?? '');
        }
      }
    }
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it('names for every record-only rule the commands that record it, and their code names the rule', () => {
    const problems: string[] = [];
    for (const r of RULES) {
      const recordedBy = raisersOf(r.id).recordedBy ?? [];
      const recordOnly = rolesOf(r).includes('record-only');
      if (recordOnly && recordedBy.length === 0) problems.push(`${r.id}: a record-only rule no command records`);
      if (!recordOnly && recordedBy.length > 0) problems.push(`${r.id}: recordedBy is for record-only rules`);
      for (const c of recordedBy) problems.push(commandProblem(r.id, c) ?? '');
    }
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it('shows every rule the engine applies firing in a test on the databases (integration or PostgreSQL suite)', () => {
    // "Fires": a refusal, a flag or a record carrying the rule id, asserted in a test that runs the real
    // commands on PGlite and PostgreSQL. Only a detector the data cannot show (notCheckable) is exempt.
    const suites = [...sources(projectPath('test', 'integration')), ...sources(projectPath('test', 'postgres'))].map(read);
    const silent = RULES.filter((r) => !raisersOf(r.id).notCheckable)
      .map((r) => r.id)
      .filter((id) => !suites.some((text) => new RegExp(`['"\`]${id}['"\`]`).test(text)));
    expect(silent).toEqual([]);
  });

  it('names each pure check by its rule id, in the files that hold an area’s rules', () => {
    // src/rules/declarations/<area>.ts and each area's *rules.ts / *guards.ts: a result built for rule X is built in the function X.
    const ruleFiles = [...sources(projectPath('src', 'rules')), ...sources(projectPath('src')).filter((f) => /(rules|guards)\.ts$/.test(f))];
    const misplaced: string[] = [];
    for (const file of [...new Set(ruleFiles)]) {
      const text = read(file);
      for (const m of text.matchAll(/ruleResult\(\s*'([A-Z_]+)'/g)) {
        const before = text.slice(0, m.index);
        const fn = [...before.matchAll(/^export function ([A-Za-z_]+)\(/gm)].pop()?.[1];
        if (fn !== m[1]) misplaced.push(`${file.slice(projectPath().length + 1)}: ${m[1]} built in ${fn ?? 'module scope'}`);
      }
    }
    expect(misplaced).toEqual([]);
    for (const area of ['scope', 'authority', 'onsite', 'frequency', 'plans']) expect(existsSync(projectPath('src', 'rules', 'declarations', `${area}.ts`))).toBe(true);
  });

  it('knows every rule id the code refuses or flags with', () => {
    const known = new Set<string>(RULES.map((r) => r.id));
    const named = new Set<string>();
    const patterns = [/ruleResult\(\s*'([A-Z_]+)'/g, /\brule: '([A-Z_]+)'/g, /notYetFlagged\(\s*'([A-Z_]+)'/g, /ruleArticle\(\s*'([A-Z_]+)'/g];
    for (const file of [...sources(projectPath('src')), ...sources(projectPath('machines'))]) {
      const text = read(file);
      for (const p of patterns) for (const m of text.matchAll(p)) named.add(m[1]!);
    }
    expect(named.size).toBeGreaterThan(20);
    expect([...named].filter((id) => !known.has(id))).toEqual([]);
  });

  it('matches docs/COMPLIANCE.md (run `npm run docs:compliance` after changing the catalogue or its raisers)', () => {
    const doc = read(projectPath('docs', 'COMPLIANCE.md'));
    expect(doc).toBe(renderComplianceDoc(doc));
  });
});
