import type { FastifyInstance } from 'fastify';
import { adminAlertRoutes } from './admin-alerts.js';
import { agencyRoutes } from './agencies.js';
import { auditRoutes } from './audit.js';
import { calendarRoutes } from './calendar.js';
import { districtRoutes } from './districts.js';
import { enterpriseRoutes } from './enterprises.js';
import { matterRoutes } from './matters.js';
import { planRoutes } from './plans.js';
import { referralRoutes } from './referrals.js';
import { deviceRoutes } from './devices.js';
import { offsiteInspectionRoutes } from './offsite-inspections.js';
import { enterpriseNoticeRoutes } from './enterprise-notices.js';
import { specialPlanRoutes } from './special-plans.js';
import { frequencyRoutes } from './frequency.js';
import { frequencyRuleRoutes } from './frequency-rules.js';
import { noDisturbRoutes } from './no-disturb.js';
import { publicListRoutes } from './public-lists.js';
import { regulationRoutes } from './regulation.js';
import { labelRoutes } from './labels.js';
import { systemRoutes } from './system.js';
import { checkPageRoutes } from './check-page.js';
import { codeRoutes, wellKnownRoutes } from './codes.js';
import { inspectionDocumentRoutes } from './inspection-documents.js';
import { inspectionRoutes } from './inspections.js';
import { flagRoutes } from './flags.js';
import { enterpriseReportRoutes } from './enterprise-reports.js';
import { caseVisitRoutes } from './case-visits.js';
import { ratingRoutes } from './ratings.js';
import { inspectionExportRoutes } from './inspection-export.js';
import { dashboardRoutes } from './dashboard.js';
import { webRoutes } from './web.js';
import { jointListRoutes } from './joint-lists.js';
import { jointTaskRoutes } from './joint-tasks.js';
import { jointStatsRoutes } from './joint-stats.js';

export async function apiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(systemRoutes);
  await app.register(wellKnownRoutes);
  await app.register(checkPageRoutes);
  await app.register(webRoutes);
  await app.register(
    async (api) => {
      await api.register(districtRoutes);
      await api.register(agencyRoutes);
      await api.register(enterpriseRoutes);
      await api.register(matterRoutes);
      await api.register(publicListRoutes);
      await api.register(calendarRoutes);
      await api.register(inspectionRoutes);
      await api.register(inspectionDocumentRoutes);
      await api.register(codeRoutes);
      await api.register(auditRoutes);
      await api.register(regulationRoutes);
      await api.register(labelRoutes);
      await api.register(planRoutes);
      await api.register(referralRoutes);
      await api.register(deviceRoutes);
      await api.register(offsiteInspectionRoutes);
      await api.register(enterpriseNoticeRoutes);
      await api.register(specialPlanRoutes);
      await api.register(frequencyRuleRoutes);
      await api.register(noDisturbRoutes);
      await api.register(frequencyRoutes);
      await api.register(flagRoutes);
      await api.register(enterpriseReportRoutes);
      await api.register(caseVisitRoutes);
      await api.register(ratingRoutes);
      await api.register(inspectionExportRoutes);
      await api.register(dashboardRoutes);
      await api.register(jointListRoutes);
      await api.register(jointTaskRoutes);
      await api.register(jointStatsRoutes);
      await api.register(adminAlertRoutes);
    },
    { prefix: '/api/v1' },
  );
}
