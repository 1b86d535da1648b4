// @ts-check
import { h } from '../assets/ui.js';
import { startShell } from '../shared/shell.js';
import { draftView } from './draft.js';
import { inspectionView } from './inspection.js';
import { jointView } from './joint.js';
import { proposalsView } from './proposals.js';
import { referralsView } from './referrals.js';
import { supervisionView } from './supervision.js';
import { approvalsView, todayView } from './today.js';

/**
 * 掌上执法: the officers' and agency heads' app. The day's work for the signed-in agency, drafting a scheme
 * with every guard pre-checked while the form is filled in, the head's approvals, the code full screen and
 * the notice, the on-site steps, referrals (Art. 23) and joint-task parts (Art. 28). Everything goes
 * through the same API the other clients use; the server scopes every answer to the token's agency.
 */
startShell({
  app: 'officer',
  roles: ['officer', 'agency_head'],
  home: 'today',
  views: {
    today: () => todayView,
    draft: () => draftView,
    approvals: () => approvalsView,
    inspection: () => inspectionView,
    referrals: () => referralsView,
    joint: () => jointView,
    proposals: () => proposalsView,
    supervision: () => supervisionView,
  },
  signIn: {
    title: '执法人员登录',
    intro: '执法人员和单位负责人请通过统一身份认证登录。登录状态只保存在本设备上，点击“退出”即清除。',
    wrongRole: '本应用供行政执法人员和单位负责人使用，请使用执法人员或负责人身份的令牌。',
    devHint: ['开发环境获取令牌：', h('code', {}, 'npm run token -- --role officer --agency WH-SCJG'), '（负责人用 ', h('code', {}, '--role agency_head'), '）'],
  },
  // The name on one line and the certificate number (or 负责人) whole on the next: at 390 px one line cut
  // the name or the number off.
  who: (me) => {
    // Without a name in the token, the role's name stands for the person, never the login subject.
    const person = me.name ?? (me.role === 'agency_head' ? '单位负责人' : '执法人员');
    const role = me.role === 'agency_head' ? (me.name ? '负责人' : '') : me.certificateNo ? `执法证 ${me.certificateNo}` : '';
    return [h('span', { class: 'who-person' }, person), role ? h('span', { class: 'who-cert', 'data-testid': 'who-cert' }, role) : null];
  },
});
