import * as authority from './authority.js';
import * as devices from './devices.js';
import * as frequency from './frequency.js';
import * as joint from './joint.js';
import * as onsite from './onsite.js';
import * as plans from './plans.js';
import * as prohibitions from './prohibitions.js';
import * as proposals from './proposals.js';
import * as referrals from './referrals.js';
import * as relabelling from './relabelling.js';
import * as scope from './scope.js';

/**
 * Every rule declaration (src/rules/define.ts), grouped in files by area; listed here in the order the
 * catalogue, GET /api/v1/rules and docs/COMPLIANCE.md show them.
 */
export const DECLARATIONS = [
  scope.ScopeEntity,
  scope.ScopeExcludedRelation,
  scope.ScopeEffectiveDate,
  scope.ScopeNoCode,
  scope.ScopeRelationContradicted,
  scope.ScopeRelationUnfounded,
  authority.MatterUnpublished,
  authority.AgencyOutOfAuthority,
  authority.JurisdictionTerritorial,
  authority.CrossRegionNoAssistance,
  plans.PlanContent,
  plans.PlanFilingDeadline,
  plans.PlanReturned,
  plans.PlanAmendedNotRefiled,
  plans.PlanNotPublished,
  plans.RoutineWithoutPlan,
  plans.SpecialWithoutApproval,
  plans.SpecialApproverNotCompetent,
  onsite.CaseWithoutLead,
  plans.CaseMergeable,
  frequency.FrequencyCap,
  frequency.CaseFrequencyAnomaly,
  frequency.NoDisturb,
  plans.JointInPlan,
  onsite.OnsiteWithoutApproval,
  onsite.OnsiteWithoutCode,
  onsite.CodeNotScanned,
  onsite.CodeOutsideWindow,
  onsite.TeamTooSmall,
  onsite.NoticeMissing,
  onsite.ResultNotNotified,
  onsite.RectificationNoFollowup,
  onsite.CostShifted,
  onsite.RepeatedTesting,
  onsite.NoPenaltyGroundUnfounded,
  onsite.NotArchived,
  onsite.InspectorUncertified,
  referrals.ReferralOverdue,
  referrals.ReferralRefused,
  referrals.ReferralNotReceived,
  referrals.CrimeTransfer,
  joint.JointNotCoordinated,
  joint.JointListUnapproved,
  joint.JointOffline,
  joint.JointOneForm,
  joint.JointTeamTooLarge,
  proposals.JointProposalDeclinedWithoutReason,
  proposals.JointProposalLapsed,
  onsite.OnsiteWhenOffsiteSuffices,
  devices.DeviceNotPublished,
  devices.DeviceUnreviewed,
  devices.DeviceNotInUse,
  devices.OffsiteNotice,
  prohibitions.LegalRepRequired,
  prohibitions.DisguisedInspection,
  prohibitions.ProfitSeeking,
  relabelling.CaseRelabelling,
  relabelling.LeadShared,
  relabelling.DeclarationsAbovePeers,
  prohibitions.Quota,
] as const;
