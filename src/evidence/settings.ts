/**
 * Settings of 现场取证 and 亮码即定位. Neither number is the Order's: Art. 19 asks that the inspection be
 * recorded, and Art. 17 that the code be shown and scanned on entry; neither says how large a file may be or
 * how far a scan may be from the premises. Both are choices written in docs/COMPLIANCE.md.
 *
 * - EVIDENCE_MAX_BYTES, default 20 MiB: a phone photo is 2–6 MB, a 15-second 720p clip about 15 MB; larger
 *   files are better taken off the phone and attached from the office system.
 * - SCAN_FAR_METRES, default 500: a phone's location indoors is often 50–300 m off (cell and Wi-Fi
 *   positioning); 500 m stays clear of that noise while still catching a scan made from another street.
 */
export const EVIDENCE_SETTING_NAMES = { maxBytes: 'EVIDENCE_MAX_BYTES', scanFarMetres: 'SCAN_FAR_METRES' } as const;
