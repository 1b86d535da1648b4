import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 11: dependencies point one way. Inside the visit aggregate (src/visits, issue 25) the joint
 * coordination (src/visits/joint, 综合查一次) may use the visit's commands; the visit declares hooks
 * (src/visits/hooks.ts) and never imports joint code, directly or through another module it imports.
 */
const root = resolve(__dirname, '../..');
const src = join(root, 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports (static, dynamic and type-only) of one file, resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import\()\s*['"](\.[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

/** Every path from `start` that reaches a file under `forbidden`, as a chain of files. */
function chainsInto(start: string, forbidden: string): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const dep of importsOf(file)) {
      if (dep.startsWith(forbidden)) out.push([...chain, dep]);
      else if (dep.startsWith(src)) walk(dep, [...chain, dep]);
    }
  };
  walk(start, [start]);
  return out;
}

describe('依赖方向：检查模块不依赖“综合查一次”模块（第二十六条至第三十一条由 src/visits/joint 实现）', () => {
  it('no file under src/visits outside src/visits/joint imports src/visits/joint, directly or through the modules it imports', () => {
    const joint = join(src, 'visits/joint') + '/';
    const offending = filesUnder(join(src, 'visits'))
      .filter((f) => !f.startsWith(joint))
      .flatMap((f) => chainsInto(f, joint));
    expect(offending.map((chain) => chain.map((p) => relative(root, p)).join(' → '))).toEqual([]);
  });

  it('the hook interface is what the app wires: src/visits/joint implements it, src/visits only declares it', () => {
    const hooks = readFileSync(join(src, 'visits/hooks.ts'), 'utf8');
    expect(hooks).toContain('export interface InspectionHooks');
    expect(readFileSync(join(src, 'visits/joint/inspection-hooks.ts'), 'utf8')).toContain('InspectionHooks');
  });
});
