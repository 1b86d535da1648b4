import { DEVICE_STATE_ZH } from './device.machine.js';
import { FLAG_STATE_ZH } from './flag.machine.js';
import { INSPECTION_STATE_ZH } from './inspection.machine.js';
import { JOINT_LIST_STATE_ZH } from './joint-list.machine.js';
import { JOINT_PROPOSAL_STATE_ZH } from './joint-proposal.machine.js';
import { PROPOSAL_UNIT_STATE_ZH } from './joint-proposal-unit.machine.js';
import { JOINT_TASK_STATE_ZH } from './joint-task.machine.js';
import { JOINT_UNIT_STATE_ZH } from './joint-unit.machine.js';
import { REFERRAL_STATE_ZH } from './referral.machine.js';
import { SUPERVISION_NOTICE_EVENT_ZH, SUPERVISION_NOTICE_STATE_ZH } from './supervision-notice.machine.js';

/**
 * Chinese names of every machine's states and events, keyed by machine id. zh-CN messages name a state
 * or an action by these, never by the identifier (issue 11); GET /api/v1/labels serves them to clients.
 * A unit test checks that every state and event of every machine has one.
 */
export const STATE_LABELS: Record<string, Record<string, string>> = {
  device: DEVICE_STATE_ZH,
  flag: FLAG_STATE_ZH,
  inspection: INSPECTION_STATE_ZH,
  jointList: JOINT_LIST_STATE_ZH,
  jointTask: JOINT_TASK_STATE_ZH,
  jointUnit: JOINT_UNIT_STATE_ZH,
  jointProposal: JOINT_PROPOSAL_STATE_ZH,
  jointProposalUnit: PROPOSAL_UNIT_STATE_ZH,
  referral: REFERRAL_STATE_ZH,
  supervisionNotice: SUPERVISION_NOTICE_STATE_ZH,
  matter: { draft: '草稿', published: '已公布', withdrawn: '已撤销' },
  plan: { draft: '草稿', submitted: '已报送，待备案审查', returned: '已退回，待修改', filed: '已备案', published: '已公布' },
  specialPlan: { draft: '草稿', approved: '已批准', filed: '已备案', returned: '已退回', published: '已公布', deployed: '执行上级专项检查计划' },
};

export const EVENT_LABELS: Record<string, Record<string, string>> = {
  device: { LEGAL_REVIEW: '法制审核', TECHNICAL_REVIEW: '技术审核', PUBLISH: '公布设置地点', ACTIVATE: '启用', MAINTENANCE: '维护', RETIRE: '停用' },
  flag: { ACKNOWLEDGE: '确认', RESOLVE: '整改完毕', DISMISS: '不予认定' },
  inspection: {
    APPROVE: '批准检查方案',
    RETURN: '退回修改',
    REOPEN_FOR_APPROVAL: '合并后退回重新批准',
    ISSUE_CODE: '获取检查码',
    SCAN: '扫码',
    START: '开始检查',
    RECORD_FINDINGS: '记录检查情况',
    RECORD_OFFSITE: '记录非现场检查',
    NOTIFY_RESULT: '告知检查结果',
    CLOSE: '结束检查',
    ARCHIVE: '归档',
    MERGE: '合并',
    CANCEL: '取消检查',
  },
  jointList: { EDIT: '修改', REVIEW_PASS: '审核通过', REVIEW_RETURN: '审核退回', APPROVE: '批准', PUBLISH: '公布', AMEND: '修订', SUPERSEDE: '以新版本替代' },
  jointTask: { UNIT_STEP: '办理单位分工', UNIT_SETTLED: '确认各单位分工', ISSUE_CODE: '获取联合检查码', VISIT_STEP: '办理检查', VISIT_ENDED: '结束检查', CANCEL: '取消任务' },
  jointUnit: { ASSIGN: '分配任务', ACCEPT: '接受任务', DECLINE: '拒绝任务', APPROVE: '批准本单位检查方案' },
  jointProposal: { UNIT_ANSWERED: '单位答复', LAPSE: '逾期未答复' },
  jointProposalUnit: { ACCEPT: '接受联合检查建议', DECLINE: '拒绝联合检查建议', LAPSE: '逾期未答复' },
  matter: { PUBLISH: '公布', WITHDRAW: '撤销' },
  plan: { EDIT: '修改', SUBMIT: '报送备案', FILE: '备案', RETURN: '退回', PUBLISH: '公布', AMEND: '调整' },
  supervisionNotice: SUPERVISION_NOTICE_EVENT_ZH,
  referral: { SEND: '移送', RECEIVE: '接收', ACCEPT: '受理', REFUSE: '拒绝接收', ESCALATE: '报请共同上级指定管辖', CRIME_TRANSFER: '移送司法机关' },
  specialPlan: { EDIT: '修改', APPROVE: '批准', FILE: '备案', RETURN: '退回', AMEND: '调整', PUBLISH: '公布', DEPLOY: '执行上级专项检查计划' },
};

/** The Chinese name of a state, or a neutral phrase (never the identifier) if a label is missing. */
export const stateLabel = (machineId: string, state: string): string => STATE_LABELS[machineId]?.[state] ?? '未知状态';
export const eventLabel = (machineId: string, event: string): string => EVENT_LABELS[machineId]?.[event] ?? '该操作';
