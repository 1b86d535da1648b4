import type { SweepJob } from './job.js';
import { planFilingDeadlineJob } from './jobs/plan-filing-deadline.js';
import { jointNotCoordinatedJob } from './jobs/joint-not-coordinated.js';
import { planAmendedNotRefiledJob, planNotPublishedJob, specialPlanAmendedNotRefiledJob, specialPlanNotPublishedJob } from './jobs/plan-revisions.js';
import { rectificationNoFollowupJob } from './jobs/rectification-no-followup.js';
import { referralOverdueJob } from './jobs/referral-overdue.js';
import { referralNotReceivedJob } from './jobs/referral-not-received.js';
import { resultNotNotifiedJob } from './jobs/result-not-notified.js';
import { caseFrequencyAnomalyJob } from './jobs/case-frequency-anomaly.js';
import { caseMergeableJob } from './jobs/case-mergeable.js';
import { frequencyCapExceededJob } from './jobs/frequency-cap-exceeded.js';
import { notArchivedJob } from './jobs/not-archived.js';
import { caseRelabellingJob } from './jobs/case-relabelling.js';
import { leadSharedJob } from './jobs/lead-shared.js';
import { declarationsAbovePeersJob } from './jobs/declarations-above-peers.js';
import { proposalLapsedJob } from './jobs/proposal-lapsed.js';

/**
 * Every due-date job, in the order a pass runs them. A new job is its own file under jobs/ plus its line
 * here; the runner, the CLI and the server's interval pick it up without change.
 */
export const SWEEP_JOBS: readonly SweepJob[] = [
  planFilingDeadlineJob, // PLAN_FILING_DEADLINE, Art. 13
  planNotPublishedJob, // PLAN_NOT_PUBLISHED, Art. 14
  planAmendedNotRefiledJob, // PLAN_AMENDED_NOT_REFILED, Art. 14 ¶2
  specialPlanNotPublishedJob, // PLAN_NOT_PUBLISHED for special plans, Art. 14
  specialPlanAmendedNotRefiledJob, // PLAN_AMENDED_NOT_REFILED for special plans, Art. 14 ¶2
  referralOverdueJob, // REFERRAL_OVERDUE, Art. 23
  referralNotReceivedJob, // REFERRAL_NOT_RECEIVED, Art. 23
  resultNotNotifiedJob, // RESULT_NOT_NOTIFIED, Art. 18(5)
  rectificationNoFollowupJob, // RECTIFICATION_NO_FOLLOWUP, Art. 20
  jointNotCoordinatedJob, // JOINT_NOT_COORDINATED, Art. 26
  proposalLapsedJob, // JOINT_PROPOSAL_LAPSED, Art. 28
  frequencyCapExceededJob, // FREQUENCY_CAP (detector), Art. 15, 40(10)
  caseFrequencyAnomalyJob, // CASE_FREQUENCY_ANOMALY, Art. 15
  caseMergeableJob, // CASE_MERGEABLE, Art. 13 ¶3
  notArchivedJob, // NOT_ARCHIVED, Art. 25
  caseRelabellingJob, // CASE_RELABELLING, Art. 9, 15 (issue 22)
  leadSharedJob, // LEAD_SHARED, Art. 9 (issue 22)
  declarationsAbovePeersJob, // DECLARATIONS_ABOVE_PEERS, Art. 6 (issue 22)
];
