import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSync } from 'oxc-parser';

/** Every .ts file under a folder. */
export const tsSources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsSources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

/**
 * Every string and template literal of a file, parsed (oxc) rather than matched by pattern, with each template
 * interpolation replaced by `hole`: the text a message shows, with what the code fills in marked.
 */
export function sourceLiterals(file: string, hole: string): string[] {
  const { program, errors } = parseSync(file, readFileSync(file, 'utf8'));
  if (errors.length > 0) throw new Error(`${file}: ${errors[0]!.message}`);
  const out: string[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (n === null || typeof n !== 'object') return;
    const node = n as { type?: string; value?: unknown; quasis?: { value: { cooked: string | null } }[] };
    if (node.type === 'Literal' && typeof node.value === 'string') out.push(node.value);
    else if (node.type === 'TemplateLiteral') out.push(node.quasis!.map((q) => q.value.cooked ?? '').join(hole));
    for (const v of Object.values(n)) if (v !== null && typeof v === 'object') visit(v);
  };
  visit(program);
  return out;
}
