import { describe, expect, it } from 'vitest';
import { divisionCovers, isOutOfArea } from '../../src/registry/territory.js';

const wuhanDistrict = (districtCode: string) => ({ level: 'district' as const, districtCode, outsideWuhan: false });
const wuhanCity = { level: 'city' as const, districtCode: null, outsideWuhan: false };
const at = (districtCode: string, outsideWuhan = false) => ({ districtCode, outsideWuhan });

describe('第十二条 异地检查：检查对象在行政执法主体辖区以外', () => {
  it('is out of area for a Wuhan district agency beyond its district, and at home inside it', () => {
    expect(isOutOfArea(wuhanDistrict('420106'), at('420106'))).toBe(false);
    expect(isOutOfArea(wuhanDistrict('420106'), at('420105'))).toBe(true);
  });

  it('第十二条 counts the enterprise’s business premises (经营场所) in the agency’s district as its territory', () => {
    const withPremises = { districtCode: '420105', outsideWuhan: false, premisesDistrictCodes: ['420106'] };
    expect(isOutOfArea(wuhanDistrict('420106'), withPremises)).toBe(false);
    expect(isOutOfArea(wuhanDistrict('420105'), withPremises)).toBe(false);
    expect(isOutOfArea(wuhanDistrict('420107'), withPremises)).toBe(true);
  });

  it('lets a Wuhan city agency act anywhere in Wuhan, but not beyond it', () => {
    expect(isOutOfArea(wuhanCity, at('420105'))).toBe(false);
    expect(isOutOfArea(wuhanCity, at('420502', true))).toBe(true);
  });

  it('treats an agency from beyond Wuhan as out of area in Wuhan and beyond its own division', () => {
    const yichang = { level: 'city' as const, districtCode: '420500', outsideWuhan: true };
    expect(isOutOfArea(yichang, at('420106'))).toBe(true);
    expect(isOutOfArea(yichang, at('420502', true))).toBe(false);
    expect(isOutOfArea(yichang, at('430102', true))).toBe(true);
  });

  it('reads division codes as GB/T 2260 nests them', () => {
    expect(divisionCovers('420500', '420502')).toBe(true);
    expect(divisionCovers('430000', '430102')).toBe(true);
    expect(divisionCovers('420502', '420503')).toBe(false);
  });
});
