import { existsSync } from 'node:fs';

/**
 * The font embedded in the 行政检查通知书. PDF's standard fonts have no Chinese glyphs, so without an
 * embedded CJK font every character would print as an empty box (tofu) — a notice nobody can read.
 */
export interface CjkFont {
  path: string;
  /** For a font collection (.ttc/.otc): the PostScript name of the face to use inside it. */
  family?: string;
}

/**
 * Debian packages, in order of preference. fontkit picks a face out of a collection by its PostScript
 * name (not the family name shown by fc-list), hence `NotoSansCJKsc-Regular` and `WenQuanYiZenHei`.
 */
export const CJK_FONT_CANDIDATES: readonly CjkFont[] = [
  // fonts-noto-cjk (installed by scripts/setup-system.sh); "sc" selects the Simplified Chinese glyph forms.
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  // fonts-wqy-zenhei, fonts-wqy-microhei
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
];

export const MISSING_FONT_MESSAGE =
  'no CJK font found for the 行政检查通知书 PDF: run scripts/setup-system.sh as root (installs fonts-noto-cjk), ' +
  'or set NOTICE_FONT_PATH (and NOTICE_FONT_FAMILY, the PostScript name, for a .ttc collection)';

function isCollection(path: string): boolean {
  return /\.(ttc|otc)$/i.test(path);
}

/**
 * NOTICE_FONT_PATH (+ NOTICE_FONT_FAMILY) wins; otherwise the first installed candidate; null when there
 * is none. A configured path that does not exist throws rather than quietly falling back, so a typo in
 * the setting is found at once.
 */
export function findCjkFont(
  env: NodeJS.ProcessEnv = process.env,
  candidates: readonly CjkFont[] = CJK_FONT_CANDIDATES,
): CjkFont | null {
  const configured = env.NOTICE_FONT_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`NOTICE_FONT_PATH: ${configured} does not exist`);
    const family = env.NOTICE_FONT_FAMILY || undefined;
    if (isCollection(configured) && !family) {
      throw new Error(`NOTICE_FONT_FAMILY: ${configured} is a font collection; name the face by its PostScript name`);
    }
    return family ? { path: configured, family } : { path: configured };
  }
  return candidates.find((c) => existsSync(c.path)) ?? null;
}

/** Like findCjkFont, but a missing font is an error telling how to install one. */
export function requireCjkFont(
  env: NodeJS.ProcessEnv = process.env,
  candidates: readonly CjkFont[] = CJK_FONT_CANDIDATES,
): CjkFont {
  const font = findCjkFont(env, candidates);
  if (!font) throw new Error(MISSING_FONT_MESSAGE);
  return font;
}
