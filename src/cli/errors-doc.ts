import { writeFileSync } from 'node:fs';
import { ERRORS } from '../errors/registry.js';
import { projectPath } from '../paths.js';

/** Regenerates docs/errors.md from the registry (`npm run docs:errors`); a test fails when they drift. */
export function renderErrorsDoc(): string {
  const rows = ERRORS.map((e) => `| \`${e.code}\` | ${e.status} | ${e.article ?? '—'} | ${e.titleZh} | ${e.titleEn} |`);
  return [
    '# Errors (错误码)',
    '',
    'Every error is `application/problem+json` (RFC 9457) with `type`, `title` (zh-CN), `titleEn`, `status`,',
    '`detail`, `code`, `instance`, `requestId`; a rule refusal adds `rule` and `article` (the article of',
    '武汉市规范涉企行政检查办法 that forbids the action) and the failed rule results (`violations`, each',
    '`{ rule, article, observed, limit, passed }`). Bad input adds `errors: [{ field, message }]`.',
    'Codes are stable and never reused. `GET /api/v1/errors` serves this table.',
    '',
    'Generated from `src/errors/registry.ts` by `npm run docs:errors`; `test/unit/errors-doc.test.ts` keeps the two in step.',
    '',
    '| code | status | article (条款) | title (zh-CN) | title (en) |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(projectPath('docs', 'errors.md'), renderErrorsDoc());
  console.log(`docs/errors.md: ${ERRORS.length} codes`);
}
