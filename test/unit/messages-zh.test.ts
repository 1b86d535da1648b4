import { describe, expect, it } from 'vitest';
// oxc's parser reads the sources (test/support/source-literals.ts): TypeScript 7, which type-checks the
// project, is the native compiler and ships no JavaScript API.
import { sourceLiterals, tsSources } from '../support/source-literals.js';

/**
 * Issue 11: a zh-CN message carries no English word. This scans every string and template literal under
 * src/ that contains Chinese and reports each ASCII word of three or more letters in its literal text
 * (interpolations are code, not text, and are skipped by walking the TypeScript syntax tree).
 */
const CJK = /[\u4e00-\u9fff]/;
const WORD = /[A-Za-z]{3,}/g;

/** Latin that Chinese administrative text legitimately carries. Keep short. */
const ALLOWED_WORDS = new Set([
  'PDF', 'CSV', 'JSON', 'JPEG', 'PNG', 'WebP', 'Base', // file and encoding formats named as such in Chinese text
  'Idempotency', 'Key', 'Authorization', 'Bearer', 'application', 'json', // HTTP header and media-type names the client must type exactly
  'GB', // national standard prefix (GB 32100-2015)
  'MOV', 'WebM', 'SHA', // video formats and the SHA-256 hash, named as such on the evidence and the 现场检查笔录
]);

/**
 * Literals that are not zh-CN messages: bilingual developer descriptions in the OpenAPI document
 * ("中文 / English"), enum legends ("value 中文 | value 中文") that explain the Latin values clients send,
 * and developer tooling (CLI, server start-up banner, the HTML markup of the public check page and of the development sign-in page).
 */
const isBilingualDoc = (text: string) => /[\s）)]\/\s+\w/.test(text) || / \| /.test(text) || /^[a-z_]+ [\u4e00-\u9fff]/.test(text);
const SKIPPED_FILES = [/^src\/app\.ts$/, /^src\/cli\//, /^src\/server\.ts$/, /^src\/system\/check-page-root-routes\.ts$/, /^src\/codes\/cjk-font\.ts$/, /^src\/oidc\/dev-provider\.ts$/];

/**
 * Words tolerated in one file only. declarations/frequency.ts: NO_DISTURB's English rule title (titleEn) quotes the list's Chinese
 * name; it is English text, not a zh-CN message.
 */
const PENDING: Record<string, string[]> = { 'src/rules/declarations/frequency.ts': ['Enterprise', 'the', 'list', 'site', 'routine', 'inspection'] };

const sources = tsSources;
// Interpolations are code, not text: a space stands for each.
const literalTexts = (file: string): string[] => sourceLiterals(file, ' ');

describe('中文提示不夹英文（第十一号问题：中文提示中不得夹杂英文单词）', () => {
  it('no Chinese literal under src/ carries an English word outside the allow-list', () => {
    const found: string[] = [];
    for (const file of sources('src').map((f) => f.replace(/\\/g, '/'))) {
      if (SKIPPED_FILES.some((re) => re.test(file))) continue;
      for (const text of literalTexts(file)) {
        if (!CJK.test(text) || isBilingualDoc(text)) continue;
        const words = (text.match(WORD) ?? []).filter((w) => !ALLOWED_WORDS.has(w) && !PENDING[file]?.includes(w));
        if (words.length) found.push(`${file}: ${words.join(', ')} — ${text.slice(0, 80)}`);
      }
    }
    expect(found).toEqual([]);
  });
});
