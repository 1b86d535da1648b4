import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc } from '../../src/cli/errors-doc.js';
import { ERRORS } from '../../src/errors/registry.js';
import { projectPath } from '../../src/paths.js';
import { GUARD_RULES } from '../../src/rules/catalog.js';

const doc = readFileSync(projectPath('docs', 'errors.md'), 'utf8');
const documented = new Map(
  [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| ([^|]+) \|/gm)].map((m) => [m[1]!, { status: Number(m[2]), article: m[3]!.trim() }]),
);

describe('error registry and docs/errors.md', () => {
  it('documents every registered code with its status and article', () => {
    for (const e of ERRORS) {
      expect(documented.get(e.code), `${e.code} missing from docs/errors.md`).toEqual({ status: e.status, article: e.article ?? '—' });
    }
  });

  it('documents no code the registry does not have', () => {
    const registered = new Set(ERRORS.map((e) => e.code));
    expect([...documented.keys()].filter((c) => !registered.has(c))).toEqual([]);
  });

  it('is exactly what the generator writes (run `npm run docs:errors` after changing the registry)', () => {
    expect(doc).toBe(renderErrorsDoc());
  });

  it('gives every guard rule an error code carrying its article', () => {
    for (const r of GUARD_RULES) {
      const e = ERRORS.find((x) => x.code === r.id);
      // An Order 327 article, or the external instrument a rule really comes from (NO_DISTURB).
      expect(e?.article).toMatch(/^(第.+条|《.+》|“.+”.*清单)/);
      expect(e?.status).toBe(422);
    }
  });
});
