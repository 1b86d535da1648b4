import type { EventDriver } from './driver.js';
import { deviceModel } from './device.model.js';
import { flagModel } from './flag.model.js';
import type { ModelShape } from './graph.js';
import { inspectionModel } from './inspection.model.js';
import { jointListModel } from './joint-list.model.js';
import { jointProposalModel } from './joint-proposal.model.js';
import { jointProposalUnitModel } from './joint-proposal-unit.model.js';
import { jointTaskModel } from './joint-task.model.js';
import { jointUnitModel } from './joint-unit.model.js';
import { matterModel } from './matter.model.js';
import { planModel } from './plan.model.js';
import { referralModel } from './referral.model.js';
import { specialPlanModel } from './special-plan.model.js';
import { supervisionNoticeModel } from './supervision-notice.model.js';

/** Every machine's model, by its file name in machines/ (test/unit/model-coverage.test.ts checks the list is whole). */
export const MODELS: Record<string, ModelShape & { events: Record<string, Pick<EventDriver<never, never>, 'via' | 'why'>> }> = {
  device: deviceModel,
  flag: flagModel,
  inspection: inspectionModel,
  'joint-list': jointListModel,
  'joint-proposal': jointProposalModel,
  'joint-proposal-unit': jointProposalUnitModel,
  'joint-task': jointTaskModel,
  'joint-unit': jointUnitModel,
  matter: matterModel,
  plan: planModel,
  referral: referralModel,
  'special-plan': specialPlanModel,
  'supervision-notice': supervisionNoticeModel,
};
