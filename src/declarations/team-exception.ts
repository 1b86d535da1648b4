/**
 * Art. 18(1): 不得少于两人，法律另有规定的除外. The exception is another law's provision, so it is cited as a
 * law and an article, never free text; it is kept on the inspection as one citation (《…》第…条), the form
 * the notice, the check page and the portal print.
 */
export interface TeamExceptionBasis {
  law: string;
  article: string;
}

export function teamExceptionText(b: TeamExceptionBasis | undefined | null): string | null {
  if (!b) return null;
  const law = b.law.trim().replace(/^《?/, '《').replace(/》?$/, '》');
  return `${law}${b.article.trim()}`;
}
