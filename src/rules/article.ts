/** Chinese legal citations: 第十五条, 第十七条第（一）项. */
const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`unsupported number ${n}`);
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/** An article (and item) of Order 327. */
export interface OrderArticleRef {
  article: number;
  item?: number;
  law?: undefined;
}

/**
 * A basis outside Order 327 (a State Council regulation, a local list's own instrument): cited by its
 * title, with its article where one applies, so a rule never borrows an Order 327 article it is not in.
 */
export interface ExternalRef {
  /** As cited: a title in 《》, or the name of a list and the instrument that set it up. */
  law: string;
  article?: number;
}

export type ArticleRef = OrderArticleRef | ExternalRef;

export function articleLabel(ref: ArticleRef): string {
  if (ref.law !== undefined) return `${ref.law}${ref.article === undefined ? '' : `第${chineseNumber(ref.article)}条`}`;
  const base = `第${chineseNumber(ref.article)}条`;
  return ref.item === undefined ? base : `${base}第（${chineseNumber(ref.item)}）项`;
}

/** The Order 327 article numbers among refs (external bases have no text here). */
export function orderArticles(refs: readonly ArticleRef[]): number[] {
  return [...new Set(refs.flatMap((r) => (r.law === undefined ? [r.article] : [])))];
}

/**
 * Several references, as Chinese legal text cites them: an item that follows another item of the same
 * article drops the article (第四十条第（一）项、第（八）项), every other reference is cited in full.
 */
export function articlesLabel(refs: readonly ArticleRef[]): string {
  return refs
    .map((ref, i) => {
      const prev = refs[i - 1];
      // Only items of one Order 327 article shorten; an outside basis is always cited in full.
      const sameArticle = prev !== undefined && prev.law === undefined && ref.law === undefined && prev.article === ref.article && prev.item !== undefined && ref.item !== undefined;
      return sameArticle && ref.law === undefined ? `第（${chineseNumber(ref.item!)}）项` : articleLabel(ref);
    })
    .join('、');
}
