import { cmd } from '../define.js';

/**
 * The commands several declarations name as their raisers (test/unit/rule-catalogue.test.ts checks that
 * each exists and that its code, or what it imports, names the rule).
 */
export const DRAFT = cmd('draftInspection', 'src/visits/commands/draft.ts');
export const ISSUE = cmd('issueCode', 'src/visits/commands/issue-code.ts');
export const SCAN = cmd('scanCode', 'src/visits/commands/scan.ts');
export const FINDINGS = cmd('recordFindings', 'src/visits/commands/findings.ts');
export const REPORT = cmd('fileEnterpriseReport', 'src/supervision/enterprise-report.ts');
export const SUBMIT_PLAN = cmd('submitPlan', 'src/plans/plan-submit.ts');
export const CREATE_SPECIAL = cmd('createSpecialPlan', 'src/plans/special-plan-create.ts');
export const APPROVE_SPECIAL = cmd('approveSpecialPlan', 'src/plans/special-plan-commands.ts');
export const LAUNCH_JOINT = cmd('launchJointTask', 'src/visits/joint/task-launch.ts');
export const JOINT_CODES = cmd('issueJointCodes', 'src/visits/joint/task-code.ts');
export const JOINT_FINDINGS = cmd('recordJointFindings', 'src/visits/joint/task-visits.ts');
export const OFFSITE = cmd('recordOffsite', 'src/offsite/record.ts');
export const OPEN_REFERRAL = cmd('openReferral', 'src/referrals/open.ts');
export const SEND_REFERRAL = cmd('sendReferral', 'src/referrals/steps.ts');
export const REFUSE_REFERRAL = cmd('refuseReferral', 'src/referrals/steps.ts');
/** A supervisor's rejection of a declared exemption raises a flag under the rule it relaxed (src/declarations/kinds.ts). */
export const REJECT_DECLARATION = cmd('rejectDeclaration', 'src/declarations/commands.ts');
