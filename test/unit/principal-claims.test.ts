import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../src/auth/principal.js';

describe('令牌声明：不完整的令牌以中文说明缺少什么', () => {
  it('names what an incomplete token lacks, in Chinese only', () => {
    expect(principalFromClaims({ role: 'officer', agency: 'WH-SCJG' })).toBe('令牌未载明持有人');
    expect(principalFromClaims({ sub: 'a', role: 'janitor' })).toBe('令牌未载明可识别的角色');
    expect(principalFromClaims({ sub: 'a', role: 'supervisor' })).toBe('司法行政部门监督人员的令牌须载明所属行政执法主体或司法行政部门');
    expect(principalFromClaims({ sub: 'a', role: 'enterprise' })).toBe('企业的令牌须载明统一社会信用代码');
    expect(principalFromClaims({ sub: 'hubei', role: 'platform' })).toBe('对接平台的令牌须以已登记的对接平台为持有人');
    expect(principalFromClaims({ sub: 'a', role: 'officer', agency: 'WH-SCJG' })).toMatchObject({ role: 'officer', agency: 'WH-SCJG' });
  });
});
