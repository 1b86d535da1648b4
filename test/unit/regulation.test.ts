import { describe, expect, it } from 'vitest';
import { decide } from '../../machines/kernel.js';
import { matterMachine } from '../../machines/matter.machine.js';
import { article, regulationArticles } from '../../src/regulation/articles.js';
import { articleLabel, articlesLabel, chineseNumber, orderArticles } from '../../src/rules/article.js';
import { RULES } from '../../src/rules/catalog.js';

describe('the regulation text', () => {
  it('has all 43 articles in order, each with its chapter', () => {
    const all = regulationArticles();
    expect(all.map((a) => a.number)).toEqual(Array.from({ length: 43 }, (_, i) => i + 1));
    expect(article(23)!.text).toContain('10 个工作日内');
    expect(article(40)!.text).toContain('(十)禁止超出规定或者合理频次开展行政检查');
    expect(article(27)!.chapter).toContain('综合查一次');
  });

  it('writes Chinese article citations', () => {
    expect(chineseNumber(15)).toBe('十五');
    expect(chineseNumber(40)).toBe('四十');
    expect(chineseNumber(23)).toBe('二十三');
    expect(articleLabel({ article: 17, item: 1 })).toBe('第十七条第（一）项');
    expect(articleLabel({ article: 40, item: 10 })).toBe('第四十条第（十）项');
  });

  it('cites consecutive items of one article as 第四十条第（一）项、第（八）项', () => {
    expect(articlesLabel([{ article: 40, item: 1 }, { article: 40, item: 8 }])).toBe('第四十条第（一）项、第（八）项');
    expect(articlesLabel([{ article: 17, item: 2 }, { article: 18, item: 2 }])).toBe('第十七条第（二）项、第十八条第（二）项');
    expect(articlesLabel([{ article: 22 }, { article: 40, item: 1 }])).toBe('第二十二条、第四十条第（一）项');
    // A whole article then one of its items: the item is cited in full, the article alone says nothing of items.
    expect(articlesLabel([{ article: 15 }, { article: 15, item: 2 }])).toBe('第十五条、第十五条第（二）项');
  });

  it('cites only articles that exist', () => {
    for (const r of RULES) for (const n of orderArticles(r.articles)) expect(article(n), r.id).toBeDefined();
  });
});

describe('matter machine (Art. 7)', () => {
  it('publishes a draft only with an effective date', () => {
    expect(decide(matterMachine, 'draft', { effectiveFrom: null }, { type: 'PUBLISH', effectiveFrom: '2026-01-01' })).toMatchObject({ ok: true, state: 'published' });
    expect(decide(matterMachine, 'draft', { effectiveFrom: null }, { type: 'PUBLISH', effectiveFrom: '' })).toMatchObject({ ok: false, state: 'draft' });
  });

  it('refuses to republish a withdrawn version and lists what the state allows', () => {
    expect(decide(matterMachine, 'withdrawn', { effectiveFrom: '2026-01-01' }, { type: 'PUBLISH', effectiveFrom: '2026-02-01' })).toEqual({ ok: false, state: 'withdrawn', allowed: [] });
    expect(decide(matterMachine, 'published', { effectiveFrom: '2026-01-01' }, { type: 'PUBLISH', effectiveFrom: '2026-02-01' })).toEqual({ ok: false, state: 'published', allowed: ['WITHDRAW'] });
  });
});
