import { ESCALATION_GROUNDS } from '../rules/escalation.js';
import { LEAD_KIND_ZH } from '../visits/terms-zh.js';

const RELATION_ZH: Record<string, string> = { soe_supervision: '国有资产监督管理关系', subordinate_unit: '隶属关系（所属单位）' };

/** What was declared, in one zh-CN phrase for the register and the flag (names, not ids). */
export function describeValue(d: { kind: string; value: unknown }): string {
  const v = (d.value ?? {}) as Record<string, string | null | undefined>;
  switch (d.kind) {
    case 'excluded_relation':
      return RELATION_ZH[v.relation ?? ''] ?? String(v.relation);
    case 'upper_deployment':
      return `部署机关${v.deploymentAuthority}，文号${v.deploymentDocNo}`;
    case 'case_lead':
      return `${LEAD_KIND_ZH[v.leadKind ?? ''] ?? v.leadKind}${v.leadRef ? `，编号${v.leadRef}` : ''}`;
    case 'team_exception_basis':
      return `${v.basis}`;
    case 'escalation_ground': {
      const label = ESCALATION_GROUNDS[v.ground as keyof typeof ESCALATION_GROUNDS]?.zh ?? v.ground;
      return `${label}${v.ref ? `，文件${v.ref}` : ''}`;
    }
    case 'assistance_arrangement':
      return `${v.assistanceRef}`;
    default:
      return `${v.reason ?? v.ground ?? ''}`;
  }
}
