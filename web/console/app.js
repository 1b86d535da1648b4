// @ts-check
import { h } from '../assets/ui.js';
import { startShell } from '../shared/shell.js';
import { auditView } from './audit.js';
import { dashboardView } from './dashboard.js';
import { declarationsView } from './declarations.js';
import { flagDetailView, flagsView } from './flags.js';
import { inspectionStoryView, inspectionsView } from './inspections.js';
import { noticeDetailView, noticesView } from './notices.js';
import { plansView } from './plans.js';
import { proposalsView } from './proposals.js';
import { ratingsView, reportDetailView, reportsView } from './reports.js';

/**
 * The supervisors' console (司法行政部门监督平台), on the shell the three apps share (web/shared/shell.js):
 * the token is pasted once and kept by the shared session; every view reads the API with it, and the
 * server scopes each answer to the supervisor's jurisdiction.
 */
startShell({
  app: 'console',
  roles: ['supervisor'],
  home: 'dashboard',
  views: {
    dashboard: () => dashboardView,
    flags: ([id]) => (id ? flagDetailView : flagsView),
    notices: ([id]) => (id ? noticeDetailView : noticesView),
    declarations: () => declarationsView,
    inspections: ([id]) => (id ? inspectionStoryView : inspectionsView),
    plans: () => plansView,
    proposals: () => proposalsView,
    reports: ([id]) => (id ? reportDetailView : reportsView),
    ratings: () => ratingsView,
    audit: () => auditView,
  },
  signIn: {
    title: '登录监督平台',
    intro: '请通过统一身份认证登录。登录状态只保存在本设备上，点击“退出”即清除。',
    wrongRole: '本平台供司法行政部门监督人员使用，请使用监督人员身份的令牌。',
    devHint: ['开发环境获取令牌：', h('code', {}, 'npm run token -- --role supervisor --agency WH-SFJ'), '（区级监督加 ', h('code', {}, '--district 420106'), '）'],
  },
  // The unit is shown by name under the person (me.unitName); its code is no help to a reader.
  // A token without a name shows the role's name, never the login subject (`supervisor:<code>`).
  who: (me) => `${me.name ?? '监督人员'}${me.district ? '' : ' · 全市'}`,
});
