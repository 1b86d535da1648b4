/** Wuhan's 13 administrative districts (with their division codes) and its functional zones. */
export const WUHAN_DISTRICTS = [
  { code: '420102', name: '江岸区', kind: 'administrative' },
  { code: '420103', name: '江汉区', kind: 'administrative' },
  { code: '420104', name: '硚口区', kind: 'administrative' },
  { code: '420105', name: '汉阳区', kind: 'administrative' },
  { code: '420106', name: '武昌区', kind: 'administrative' },
  { code: '420107', name: '青山区', kind: 'administrative' },
  { code: '420111', name: '洪山区', kind: 'administrative' },
  { code: '420112', name: '东西湖区', kind: 'administrative' },
  { code: '420113', name: '汉南区', kind: 'administrative' },
  { code: '420114', name: '蔡甸区', kind: 'administrative' },
  { code: '420115', name: '江夏区', kind: 'administrative' },
  { code: '420116', name: '黄陂区', kind: 'administrative' },
  { code: '420117', name: '新洲区', kind: 'administrative' },
  { code: 'DHGX', name: '东湖新技术开发区', kind: 'functional' },
  { code: 'WHKF', name: '武汉经济技术开发区', kind: 'functional' },
  { code: 'CJXQ', name: '长江新区', kind: 'functional' },
  { code: 'DHFJ', name: '东湖生态旅游风景区', kind: 'functional' },
] as const;

/** Functional zones have no division code of their own; enterprises there carry the city's (420100). */
export function adminCodeOf(districtCode: string): string {
  return /^\d{6}$/.test(districtCode) ? districtCode : '420100';
}
