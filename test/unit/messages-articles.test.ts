import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceLiterals, tsSources } from '../support/source-literals.js';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/errors/registry.js';
import { RULES } from '../../src/rules/catalog.js';
import { orderArticles } from '../../src/rules/article.js';
import { settingZh } from '../../src/rules/setting-text.js';

/**
 * Issue 22, point 12: a setting is never presented as the Order's words. Every message template under src/
 * (refusals, flag texts, rule and error titles) is read against the regulation's own text in
 * docs/regulation: each article it cites must exist (and its 款 and 项), and every number, period or date
 * it states in the sentence that cites an article must be written in that article — unless the sentence says
 * the number is a setting of this platform (本平台设置). A value interpolated into such a sentence with a
 * unit (`${days}个工作日`) cannot be checked and must say so too.
 */
const TEXT = readFileSync(join('docs', 'regulation', 'wuhan-order-327.zh.txt'), 'utf8');
const NUMERALS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** 十五 → 15, 四十三 → 43. */
function cn(s: string): number {
  if (!s.includes('十')) return NUMERALS[s]!;
  const [t, o] = s.split('十');
  return (t ? NUMERALS[t]! : 1) * 10 + (o ? NUMERALS[o]! : 0);
}

/** The Order's articles from its text: number → lines (paragraphs and items). */
function parseArticles(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  let current: string[] | undefined;
  let inBody = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/^-\s*/, '');
    if (/^第[一二三四五六七八九十]+章/.test(line)) inBody = true;
    if (!line || !inBody) continue;
    const m = /^第([一二三四五六七八九十]+)条\s*(.*)$/.exec(line);
    if (m) {
      current = [m[2]!];
      out.set(cn(m[1]!), current);
    } else if (current && !/^第[一二三四五六七八九十]+章/.test(line)) current.push(line);
  }
  return out;
}
const ARTICLES = parseArticles(TEXT);
const flat = (s: string) => s.replace(/\s+/g, '');
const articleText = (n: number) => flat((ARTICLES.get(n) ?? []).join(''));
const isItem = (line: string) => /^[（(][一二三四五六七八九十]+[）)]/.test(line);
const paragraphs = (n: number) => (ARTICLES.get(n) ?? []).filter((l) => !isItem(l)).length;
const hasItem = (n: number, item: number) => (ARTICLES.get(n) ?? []).some((l) => {
  const m = /^[（(]([一二三四五六七八九十]+)[）)]/.exec(l);
  return m !== null && cn(m[1]!) === item;
});

/** 第二十条第二款, 第四十条第（七）项; not an article of another law (《…》第三条). */
const CITE = /(?<!》)第([一二三四五六七八九十]+)条(?:第([一二三四五六七八九十]+)款)?(?:第[（(]([一二三四五六七八九十]+)[）)]项)?/g;
const PLACEHOLDER = '\u0000';
/** A stated quantity: a date, or a number (or an interpolated value) with a unit of time or count. */
const QUANTITY = new RegExp(`(\\d+月\\d+日)|(\\d+|${PLACEHOLDER})\\s*(个工作日|工作日|个月|日|天|人|次|小时)`, 'g');
const SETTING = /本平台设置/; // the marker settingZh (src/rules/setting-text.ts) writes

export interface Problem {
  text: string;
  why: string;
}

/** Checks one message template; interpolations are marked by PLACEHOLDER. */
export function checkMessage(text: string, impliedArticles: readonly number[] = []): Problem[] {
  const problems: Problem[] = [];
  for (const m of text.matchAll(CITE)) {
    const n = cn(m[1]!);
    if (!ARTICLES.has(n)) problems.push({ text, why: `cites ${m[0]}, which the Order does not have` });
    else if (m[2] && cn(m[2]) > paragraphs(n)) problems.push({ text, why: `cites ${m[0]}: 第${m[1]}条 has ${paragraphs(n)} 款` });
    else if (m[3] && !hasItem(n, cn(m[3]))) problems.push({ text, why: `cites ${m[0]}: no such 项` });
  }
  for (const sentence of text.split(/[。；;]/)) {
    const cited = [...new Set([...[...sentence.matchAll(CITE)].map((m) => cn(m[1]!)), ...(sentence === text ? impliedArticles : [])])].filter((n) => ARTICLES.has(n));
    if (!cited.length || SETTING.test(sentence)) continue;
    const corpus = cited.map(articleText).join('|');
    for (const q of sentence.matchAll(QUANTITY)) {
      const stated = flat(q[0]);
      if (stated.includes(PLACEHOLDER)) problems.push({ text, why: `states an interpolated ${q[3]} beside ${cited.map((n) => `第${n}条`).join('、')} without saying it is a setting` });
      else if (!corpus.includes(stated)) problems.push({ text, why: `attributes “${stated}” to ${cited.map((n) => `第${n}条`).join('、')}, whose text does not contain it` });
    }
  }
  return problems;
}

const sources = tsSources;
const literals = (file: string): string[] => sourceLiterals(file, PLACEHOLDER);

describe('设置不冒充本办法条文（第二十二号问题第12点）', () => {
  it('the checker reads the Order: it knows what 第二十三条 and 第十三条 say and what they do not', () => {
    expect(checkMessage('未在10个工作日内移送（第二十三条）')).toEqual([]);
    expect(checkMessage('晚于第十三条规定的3月31日')).toEqual([]);
    expect(checkMessage('即5个工作日内办理，违反第二十三条')).toHaveLength(1);
    expect(checkMessage(`超过 ${PLACEHOLDER} 人的控制数（第三十一条）`)).toHaveLength(1);
    expect(checkMessage(`超过控制数，第三十一条要求严格控制；${settingZh('单次检查执法人员控制数', 6, '人')}`)).toEqual([]);
    expect(checkMessage('见第五十条')).toHaveLength(1);
    expect(checkMessage('见第二十条第四款')).toHaveLength(1);
    expect(checkMessage('见第二十条第二款、第四十条第（七）项')).toEqual([]);
    expect(checkMessage('见第四十条第（十二）项')).toHaveLength(1);
    expect(checkMessage('依《行政执法机关移送涉嫌犯罪案件的规定》第三条，3日内移送')).toEqual([]);
  });

  it('every message template under src/ cites only articles the Order has, and attributes to them only what they say', () => {
    const found: string[] = [];
    for (const file of sources('src').map((f) => f.replace(/\\/g, '/'))) {
      for (const text of literals(file)) {
        if (!/第[一二三四五六七八九十]+条/.test(text)) continue;
        for (const p of checkMessage(text)) found.push(`${file}: ${p.why} — ${p.text.replaceAll(PLACEHOLDER, '${…}').slice(0, 120)}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('every rule title and error title states only what its articles say', () => {
    const found: string[] = [];
    for (const r of RULES) {
      for (const p of checkMessage(r.titleZh, orderArticles(r.articles))) found.push(`${r.id}: ${p.why}`);
    }
    for (const e of ERRORS) {
      const rule = RULES.find((r) => r.id === e.rule);
      for (const p of checkMessage(e.titleZh, rule ? orderArticles(rule.articles) : [])) found.push(`${e.code}: ${p.why}`);
    }
    expect(found).toEqual([]);
  });
});
