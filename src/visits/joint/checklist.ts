import type { JointEntryItem } from '../../db/schema/index.js';

/**
 * 一表通查 (Art. 30): 梳理归并检查事项，形成一张综合检查表单，明确一致的检查标准，做到一表覆盖. The combined
 * checklist of a joint visit is every participating unit's items, merged where the item and its standard
 * agree: one line then serves several units' matters, is checked once, and its result counts for each of
 * them. Where two units check the same item against different standards the lines stay apart, because
 * one result cannot answer two standards. Pure.
 */
export interface ChecklistLine {
  /** 1-based, stable for a task: the order in which the entry lists the items. */
  line: number;
  text: string;
  standard: string;
  /** Every unit and matter the line serves. */
  serves: { agencyCode: string; matterCode: string }[];
}

export interface ParticipatingUnit {
  agencyCode: string;
  /** The matters the unit was assigned; items of other matters are not its part of this visit. */
  matterCodes: readonly string[];
}

/**
 * Items match when they read the same after Unicode compatibility folding (full-width ／ half-width),
 * whitespace and a closing full stop are ignored: editors type these differently, the requirement is one.
 */
export function normalizeItemText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[。.;；]+$/u, '');
}

export function mergeChecklist(items: readonly JointEntryItem[], units: readonly ParticipatingUnit[]): ChecklistLine[] {
  const lines: ChecklistLine[] = [];
  const byKey = new Map<string, ChecklistLine>();
  for (const item of items) {
    const unit = units.find((u) => u.agencyCode === item.agencyCode);
    if (!unit || !unit.matterCodes.includes(item.matterCode)) continue;
    const key = `${normalizeItemText(item.text)}\u0000${normalizeItemText(item.standard)}`;
    let line = byKey.get(key);
    if (!line) {
      line = { line: lines.length + 1, text: item.text.trim(), standard: item.standard.trim(), serves: [] };
      byKey.set(key, line);
      lines.push(line);
    }
    if (!line.serves.some((s) => s.agencyCode === item.agencyCode && s.matterCode === item.matterCode)) {
      line.serves.push({ agencyCode: item.agencyCode, matterCode: item.matterCode });
    }
  }
  return lines;
}

/** The units a line serves, once each, in the order they appear. */
export const lineAgencies = (line: ChecklistLine): string[] => [...new Set(line.serves.map((s) => s.agencyCode))];

/** The lines that are a unit's own items. */
export const linesOf = (lines: readonly ChecklistLine[], agencyCode: string) => lines.filter((l) => l.serves.some((s) => s.agencyCode === agencyCode));
