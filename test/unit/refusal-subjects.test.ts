import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/ARCHITECTURE.md: a rule refusal rolls the command back and is recorded as `refused.<RULE>` on the
 * audit chain against the command's refusal subject. A command run without a subject would refuse
 * silently, so every command call in the routes names one (runCommand's type no longer accepts null;
 * this test also catches a subject that is spelt as a literal null or undefined).
 */
const src = resolve(__dirname, '../../src');

/** The route files, as src/routes/index.ts autoloads them: each aggregate's `*routes.ts` and the files of an aggregate's own `routes/` folder. */
function routeFiles(): string[] {
  return readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && (/routes\.ts$/.test(f) || /(^|\/)routes\/[^/]+\.ts$/.test(f)))
    .map((f) => join(src, f));
}

function commandCalls(): { file: string; line: number; subject: string }[] {
  const out: { file: string; line: number; subject: string }[] = [];
  for (const file of routeFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(runCommand|runIdempotent)\(/g)) {
      const before = text.slice(0, m.index);
      if (/import[^;]*$/.test(before.slice(before.lastIndexOf('\n') + 1))) continue;
      // runCommand(ctx, SUBJECT, body) and runIdempotent(req, ctx, SUBJECT, status, body)
      const args = text.slice(m.index! + m[0].length).split(',');
      const subject = (m[1] === 'runCommand' ? args[1] : args[2])!.trim();
      out.push({ file, line: before.split('\n').length, subject });
    }
  }
  return out;
}

describe('审计：每一项规则拒绝都记入审计链（每个命令都声明拒绝对象）', () => {
  it('every runCommand and runIdempotent call in a route file passes a refusal subject', () => {
    const calls = commandCalls();
    expect(calls.length).toBeGreaterThan(40);
    expect(calls.filter((c) => /^(null|undefined)\b/.test(c.subject)).map((c) => `${c.file}:${c.line}`)).toEqual([]);
  });
});
