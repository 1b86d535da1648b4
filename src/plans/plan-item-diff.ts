import type { FiledItem } from './plan-versions.repository.js';

/**
 * Comparing plan versions (Art. 14 ¶2). Two items are the same when everything Art. 13 asks a plan to
 * state is the same: matter, basis, targets, ratio, items checked, method, frequency and necessity. Ids do
 * not count (a plan is edited as one document, so items get new ids on every edit).
 */
type Comparable = Omit<FiledItem, 'id'>;

export function itemKey(i: Comparable): string {
  return JSON.stringify([
    i.matterCode,
    i.legalBasis,
    i.targetKind,
    [...i.targetEnterprises].sort(),
    i.targetClass ?? null,
    i.samplingRatio === null || i.samplingRatio === undefined ? null : Number(i.samplingRatio),
    [...i.checkItems],
    i.method,
    i.frequency,
    i.necessity,
    // Appended last, null when absent, so versions filed before class filters existed keep their keys.
    i.classFilter ?? null,
  ]);
}

export interface ItemDiff<T extends Comparable> {
  unchanged: T[];
  /** In `to` but not in `from`: new items and the new form of changed ones. */
  added: T[];
  /** In `from` but not in `to`: removed items and the old form of changed ones. */
  removed: T[];
}

/** What changed from one list of items to another; `unchanged` are `from`'s items still in `to`. */
export function diffItems<T extends Comparable>(from: readonly T[], to: readonly T[]): ItemDiff<T> {
  const toKeys = new Set(to.map(itemKey));
  const fromKeys = new Set(from.map(itemKey));
  return {
    unchanged: from.filter((i) => toKeys.has(itemKey(i))),
    added: to.filter((i) => !fromKeys.has(itemKey(i))),
    removed: from.filter((i) => !toKeys.has(itemKey(i))),
  };
}
