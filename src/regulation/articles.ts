import { readFileSync } from 'node:fs';
import { projectPath } from '../paths.js';
import { chineseNumber } from '../rules/article.js';

/**
 * The regulation's original text (public law), split into articles so the API can quote the article a
 * rule cites. The text file is a verbatim copy of shared/regulation/wuhan-order-327.zh.txt.
 */
export interface Article {
  number: number;
  label: string;
  chapter: string;
  text: string;
}

function parse(text: string): Article[] {
  const articles: Article[] = [];
  const labels = new Map<string, number>();
  for (let n = 1; n <= 99; n++) labels.set(`第${chineseNumber(n)}条`, n);
  let chapter = '';
  let current: Article | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line) continue;
    const chapterMatch = /^第[一二三四五六七八九十]+章\s*(.*)$/.exec(line);
    if (chapterMatch) {
      chapter = line.replace(/\s+/g, ' ');
      current = undefined;
      continue;
    }
    const articleMatch = /^(第[一二三四五六七八九十]+条)\s*(.*)$/.exec(line);
    const number = articleMatch ? labels.get(articleMatch[1]!) : undefined;
    if (articleMatch && number !== undefined && chapter) {
      current = { number, label: articleMatch[1]!, chapter, text: articleMatch[2]! };
      articles.push(current);
    } else if (current) {
      current.text += `\n${line.replace(/^-\s*/, '')}`;
    }
  }
  return articles;
}

let cache: Article[] | undefined;

export function regulationArticles(): Article[] {
  cache ??= parse(readFileSync(projectPath('docs', 'regulation', 'wuhan-order-327.zh.txt'), 'utf8'));
  return cache;
}

export function article(number: number): Article | undefined {
  return regulationArticles().find((a) => a.number === number);
}
