/**
 * A realistic inspection-matter catalogue (行政检查事项清单) per bureau, with the legal basis each matter
 * rests on. Every city bureau and its district counterparts publish the same list.
 */
export interface MatterSeed {
  matterCode: string;
  name: string;
  legalBasis: string;
  domain: string;
  offsiteCapable: boolean;
  foodDrug: boolean;
}

const m = (matterCode: string, name: string, legalBasis: string, domain: string, offsiteCapable = false, foodDrug = false): MatterSeed => ({
  matterCode,
  name,
  legalBasis,
  domain,
  offsiteCapable,
  foodDrug,
});

export const MATTER_CATALOG: Record<string, MatterSeed[]> = {
  SCJG: [
    m('SCJG-001', '食品生产经营监督检查', '《中华人民共和国食品安全法》第一百一十条', 'food', false, true),
    m('SCJG-002', '特种设备安全监督检查', '《中华人民共和国特种设备安全法》第五十七条', 'special_equipment'),
    m('SCJG-003', '产品质量监督抽查', '《中华人民共和国产品质量法》第十五条', 'product_quality'),
    m('SCJG-004', '企业公示信息抽查', '《企业信息公示暂行条例》第十四条', 'market', true),
    m('SCJG-005', '药品经营和使用质量监督检查', '《中华人民共和国药品管理法》第九十九条', 'drug', false, true),
    m('SCJG-006', '价格行为监督检查', '《中华人民共和国价格法》第三十四条', 'market', true),
  ],
  STHJ: [
    m('STHJ-001', '排污许可证执行情况检查', '《排污许可管理条例》第二十八条', 'environment', true),
    m('STHJ-002', '建设项目环境影响评价制度执行情况检查', '《中华人民共和国环境影响评价法》第二十八条', 'environment'),
    m('STHJ-003', '危险废物规范化环境管理检查', '《中华人民共和国固体废物污染环境防治法》第二十七条', 'environment'),
  ],
  YJGL: [
    m('YJGL-001', '安全生产监督检查', '《中华人民共和国安全生产法》第六十五条', 'work_safety'),
    m('YJGL-002', '危险化学品安全监督检查', '《危险化学品安全管理条例》第七条', 'hazardous_chemicals'),
    m('YJGL-003', '安全生产培训和应急预案备案检查', '《生产安全事故应急条例》第七条', 'work_safety', true),
  ],
  CGZF: [
    m('CGZF-001', '门前责任区市容环境卫生检查', '《武汉市市容环境卫生管理条例》第十四条', 'urban_management'),
    m('CGZF-002', '户外广告和招牌设置检查', '《武汉市户外广告设置管理办法》第二十条', 'urban_management', true),
  ],
  WSJK: [
    m('WSJK-001', '公共场所卫生监督检查', '《公共场所卫生管理条例》第十条', 'health'),
    m('WSJK-002', '职业病危害防治监督检查', '《中华人民共和国职业病防治法》第六十二条', 'occupational_health'),
  ],
  JTYS: [
    m('JTYS-001', '道路运输经营监督检查', '《中华人民共和国道路运输条例》第五十八条', 'transport'),
    m('JTYS-002', '机动车维修经营监督检查', '《机动车维修管理规定》第四十七条', 'transport', true),
  ],
  SWJ: [
    m('SWJ-001', '单用途商业预付卡监督检查', '《单用途商业预付卡管理办法（试行）》第三十二条', 'commerce', true),
    m('SWJ-002', '报废机动车回收拆解监督检查', '《报废机动车回收管理办法》第十八条', 'commerce'),
  ],
  XFJY: [m('XFJY-001', '消防监督检查', '《中华人民共和国消防法》第五十三条', 'fire_safety')],
};
