/** Chinese legal citations: 第十五条, 第十七条第（一）项. */
const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`unsupported number ${n}`);
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

export interface ArticleRef {
  article: number;
  item?: number;
}

export function articleLabel(ref: ArticleRef): string {
  const base = `第${chineseNumber(ref.article)}条`;
  return ref.item === undefined ? base : `${base}第（${chineseNumber(ref.item)}）项`;
}

/**
 * Several references, as Chinese legal text cites them: an item that follows another item of the same
 * article drops the article (第四十条第（一）项、第（八）项), every other reference is cited in full.
 */
export function articlesLabel(refs: readonly ArticleRef[]): string {
  return refs
    .map((ref, i) => {
      const prev = refs[i - 1];
      const sameArticle = prev !== undefined && prev.article === ref.article && prev.item !== undefined && ref.item !== undefined;
      return sameArticle ? `第（${chineseNumber(ref.item!)}）项` : articleLabel(ref);
    })
    .join('、');
}
