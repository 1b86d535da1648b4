import { EVIDENCE_SETTING_NAMES } from './settings.js';

/**
 * 亮码即定位 (as Jiangmen's inspection code does): the scan records where the scanning phone was, with its
 * user's consent, and how far that is from the enterprise's registered premises. Art. 17(2) asks that the
 * code be shown and scanned on entering the premises; it names no distance. A scan SCAN_FAR_METRES or more
 * away is therefore a setting-based detection (远离登记经营场所的扫码), marked for the supervisors to look
 * at — never a refusal, and never presented as the Order's words: a phone's position indoors can be far off.
 */
export interface Position {
  latitude: number;
  longitude: number;
  accuracyM?: number;
}

const EARTH_RADIUS_M = 6_371_008.8; // mean radius (IUGG)
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine): ample for the few kilometres that matter here. */
export function distanceMetres(a: Position, b: Position): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The marker a reader sees on a scan; null when the scan or the premises has no position. */
export function farFromPremises(distanceM: number | null, farMetres: number): { far: boolean; noteZh: string } | null {
  if (distanceM === null) return null;
  const m = Math.round(distanceM);
  return distanceM >= farMetres
    ? { far: true, noteZh: `扫码位置距登记经营场所约 ${m} 米，达到设置 ${EVIDENCE_SETTING_NAMES.scanFarMetres}（${farMetres} 米），请监督人员核查（按设置检测，非《办法》条文规定）` }
    : { far: false, noteZh: `扫码位置距登记经营场所约 ${m} 米` };
}
