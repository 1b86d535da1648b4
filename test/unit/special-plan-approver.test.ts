import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { approverProblem } from '../../src/plans/special-plan-commands.js';
import type { Agency } from '../../src/registry/agencies.repository.js';

const agency = (verticallyManaged: boolean): Agency => ({
  code: 'A',
  name: verticallyManaged ? '武汉市江岸区消防救援大队' : '武汉市江岸区市场监督管理局',
  kind: 'organ',
  level: 'district',
  districtCode: 'D',
  parentCode: null,
  isJusticeBureau: false,
  verticallyManaged,
  stateAssetSupervisor: false,
  domains: [],
  active: true,
  complaintContact: null,
  createdAt: new Date(0),
});

describe('第十三条第二款 经同级人民政府或者实行垂直管理的上级主管部门批准', () => {
  const strict = { verticalGovernmentApproval: false };
  const lenient = { verticalGovernmentApproval: true };

  it('approves an agency under the local government by the same-level government only', () => {
    expect(approverProblem(agency(false), 'same_level_government', strict)).toBeNull();
    expect(approverProblem(agency(false), 'upper_authority', strict)).toContain('不实行垂直管理');
    expect(approverProblem(agency(false), 'upper_authority', lenient)).toContain('不实行垂直管理');
  });

  it('第十三条第二款 或者: approves a vertically managed agency by its upper authority or by the same-level government', () => {
    expect(approverProblem(agency(true), 'upper_authority', strict)).toBeNull();
    expect(approverProblem(agency(true), 'same_level_government', strict)).toBeNull();
    expect(approverProblem(agency(true), 'same_level_government', lenient)).toBeNull();
  });

  it('reads SPECIAL_PLAN_VERTICAL_GOVERNMENT_APPROVAL, off by default', () => {
    expect(loadConfig({}).specialPlans.verticalGovernmentApproval).toBe(false);
    expect(loadConfig({ SPECIAL_PLAN_VERTICAL_GOVERNMENT_APPROVAL: 'true' }).specialPlans.verticalGovernmentApproval).toBe(true);
    expect(() => loadConfig({ SPECIAL_PLAN_VERTICAL_GOVERNMENT_APPROVAL: 'yes' })).toThrow(ConfigError);
  });
});
