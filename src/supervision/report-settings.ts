/**
 * Abuse limits on 企业报告 (Art. 40 reports), Config.reports (REPORT_*; src/config/config.ts says why each
 * default). Not settings, because they follow from what a report is: one report per visit (a second about the
 * same visit is refused and points at the first), and while a flag of a rule from one enterprise against one
 * agency is open, a new report of the same rule joins it instead of raising another.
 */
export interface ReportSettings {
  /** REPORT_MAX_FLAGS: flags one report raises; the rest are named in the last raised flag's detail and evidence. */
  maxFlagsPerReport: number;
  /** REPORT_PHOTOS_PER_DAY and REPORT_PHOTO_BYTES_PER_DAY: per enterprise and Beijing day. */
  photosPerDay: number;
  photoBytesPerDay: number;
  /** REPORT_PHOTO_MAX_BYTES: one photo. */
  photoMaxBytes: number;
}
