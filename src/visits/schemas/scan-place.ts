import { Type } from 'typebox';
import { farFromPremises } from '../../evidence/scan-location.js';
import type { CodeScan } from '../repository.js';

/** Where a scan happened (亮码即定位) and the far-from-premises marker, as the inspection detail shows them. */
export const ScanPlace = {
  position: Type.Union([Type.Object({ latitude: Type.Number(), longitude: Type.Number(), accuracyM: Type.Union([Type.Number(), Type.Null()]) }), Type.Null()], {
    description: '扫码时设备位置（经本人同意；企业不可见）/ the device position at the scan (not shown to the enterprise)',
  }),
  distanceM: Type.Union([Type.Number(), Type.Null()], { description: '距企业登记经营场所的米数 / metres from the registered premises' }),
  farFromPremises: Type.Union([Type.Object({ far: Type.Boolean(), noteZh: Type.String() }), Type.Null()], {
    description: '远离登记经营场所的扫码（按设置 SCAN_FAR_METRES 检测，非条文规定）/ setting-based marker',
  }),
};

export function scanPlace(s: CodeScan, farMetres: number, showPosition: boolean) {
  return {
    position: showPosition && s.latitude !== null && s.longitude !== null ? { latitude: s.latitude, longitude: s.longitude, accuracyM: s.accuracyM } : null,
    distanceM: s.distanceM,
    farFromPremises: farFromPremises(s.distanceM, farMetres),
  };
}
