import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_ZH } from '../../src/audit/action-labels.js';
import { projectPath } from '../../src/paths.js';

/** Every .ts file under src. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

describe('第八条、第二十四条 审计日志以中文名称显示动作', () => {
  it('names in Chinese every audit action the code writes literally', () => {
    const written = new Set<string>();
    for (const file of sources(projectPath('src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/action: '([a-z_]+\.[a-z_]+)'/g)) written.add(m[1]!);
    }
    expect(written.size).toBeGreaterThan(40);
    expect([...written].filter((a) => !AUDIT_ACTION_ZH[a])).toEqual([]);
  });

  it('names the actions built from a prefix (plans, special plans, joint lists and tasks) too', () => {
    for (const a of ['plan.drafted', 'plan.submitted', 'special_plan.deployed', 'joint_list.published', 'joint_task.launched']) expect(AUDIT_ACTION_ZH[a]).toMatch(/[\u4e00-\u9fff]/);
  });
});
