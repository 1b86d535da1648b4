/**
 * Abuse limits on 企业报告 (Art. 40 reports), read from the environment by src/config/config.ts. None of
 * them is in the Order: they are this engine's settings, chosen so that a flood from one account cannot
 * bury the supervisors, while a genuine report always goes through (issue 23, docs/COMPLIANCE.md):
 *
 * - `maxFlagsPerReport` (REPORT_MAX_FLAGS, 6): one report is one visit; a report ticking every box raised 8
 *   flags. The first six (the missing code first, then the prohibitions in the form's order) are raised; the
 *   rest are named in the last raised flag's detail and evidence, so the supervisor still reads them.
 * - `photosPerDay` (REPORT_PHOTOS_PER_DAY, 10) and `photoBytesPerDay` (REPORT_PHOTO_BYTES_PER_DAY, 20 MB):
 *   per enterprise and Beijing day. A visit needs a photo of one notice; ten a day is more than any real
 *   enterprise sends, and keeps one account from filling the database with 2 MB images.
 * - `photoMaxBytes` (REPORT_PHOTO_MAX_BYTES, 2 MB): one photo; the request schema's own limit is the ceiling.
 *
 * Not settings, because they follow from what a report is: one report per visit (a second about the same
 * visit is refused and points at the first), and the flags from one enterprise against one agency are grouped
 * — while a flag of a rule is open, a new report of the same rule joins it instead of raising another.
 */
export interface ReportSettings {
  maxFlagsPerReport: number;
  photosPerDay: number;
  photoBytesPerDay: number;
  photoMaxBytes: number;
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  maxFlagsPerReport: 6,
  photosPerDay: 10,
  photoBytesPerDay: 20 * 1024 * 1024,
  photoMaxBytes: 2 * 1024 * 1024,
};
