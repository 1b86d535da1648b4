import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// The app's CSP (script-src 'self') refuses an injected <script>, so axe-core's source is evaluated through
// the DevTools protocol instead, as test/browser/accessibility.test.ts does.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 A and AA violations on the page as it is now, by rule id and first target. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const found = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return found.violations.map((v) => `${v.id} at ${v.nodes[0]?.target.join(' ') ?? ''}`);
  });
}

/** Controls in `scope` shorter than 44 px (issue 24: every tap target at least 44 px), and the page's overflow. */
export async function layoutProblems(page: Page, scope = 'main'): Promise<string[]> {
  return page.evaluate((scope) => {
    const out: string[] = [];
    for (const e of document.querySelectorAll(`${scope} button, ${scope} select, ${scope} input:not([type=checkbox]):not([type=radio]):not([type=hidden]), ${scope} summary, ${scope} a.button`)) {
      const r = e.getBoundingClientRect();
      if (r.height > 0 && r.height < 44) out.push(`${e.tagName} “${e.textContent?.trim() ?? ''}” is ${Math.round(r.height)} px tall`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page is ${document.documentElement.scrollWidth} px wide in ${window.innerWidth} px`);
    return out;
  }, scope);
}
