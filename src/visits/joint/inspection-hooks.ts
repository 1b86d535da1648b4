import type { InspectionHooks } from '../hooks.js';
import { adviseSingleDraft } from './coordination.js';
import { afterSingleCode, refuseCodeForPart, scanJointParts, singleCodeReads, stepOnJointPart, type SingleCodeReads } from './part-hooks.js';
import type { JointSettings } from '../../config/joint-settings.js';
import { proposeFromScheme } from '../../proposals/scheme-proposals.js';
import { outsideOrder } from '../order-scope.js';

/**
 * The joint implementation of the inspection commands' hooks (综合查一次, Art. 26–31), built once per app
 * with its settings (src/app.ts). The inspection module only knows the interface.
 */
export function jointInspectionHooks(settings: JointSettings): InspectionHooks {
  return {
    codeReads: (i) => singleCodeReads(i, settings),
    beforeCode: (tx, i, ahead) => refuseCodeForPart(tx, i, ahead as SingleCodeReads | undefined),
    afterCode: (tx, scope, actor, i, ahead) => afterSingleCode(tx, scope, actor, i, settings, ahead as SingleCodeReads | undefined),
    onStep: (tx, scope, actor, i, step) => stepOnJointPart(tx, scope, actor, i, step),
    afterScan: (tx, scope, code) => scanJointParts(tx, scope, code),
    adviseDraft: (tx, scope, actor, d, aloneReason) => adviseSingleDraft(tx, scope, actor, d, aloneReason, settings.teamMax),
    // Approved, or amended in draft: matched again as at drafting (Art. 26); outside the Order nothing is proposed.
    afterSchemeChange: async (tx, scope, _actor, i) => {
      if (!outsideOrder(i)) await proposeFromScheme(tx, scope, i, settings.teamMax);
    },
  };
}
