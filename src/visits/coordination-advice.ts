/**
 * 应协同尽协同 (Art. 26), the shape of the advice a single on-site draft receives: which other agencies
 * already plan or drafted a visit to the same enterprise in an overlapping window, which open joint tasks
 * there this agency could join, and which published joint-list entries cover its matters. Pure data, so
 * the inspection commands can return it without knowing the joint module that computes it (src/visits/joint may
 * use src/visits, never the other way round).
 */
export interface Coordination {
  overlapping: { inspectionId: string; agencyCode: string; state: string; windowStart: string; windowEnd: string; jointTaskId: string | null }[];
  jointTasks: { jointTaskId: string; leadAgencyCode: string; state: string; windowStart: string; windowEnd: string; role: string | null; unitState: string | null; joinable: boolean }[];
  jointListEntries: { listId: string; listVersion: number; title: string; entryCode: string; entryName: string; leadAgencyCode: string; role: 'lead' | 'cooperating'; matterCodes: string[] }[];
  offers: ('join' | 'launch_joint_task')[];
  advice: string | null;
  aloneReason: string | null;
  /**
   * Art. 26–28, the action that replaces the advice: the joint visits proposed to this agency and the other
   * agencies whose drafted or approved visits to the enterprise fall within the scheme-days setting (src/proposals).
   */
  proposals?: ProposalRef[];
}

/** A proposed joint visit as the draft response shows it: who is asked, for when, answered by when. */
export interface ProposalRef {
  id: string;
  source: 'plan' | 'scheme';
  state: string;
  /** True when this draft made it; false when it was already open (a second draft proposes nothing twice). */
  created: boolean;
  enterpriseName: string;
  entryCode: string;
  leadAgencyCode: string;
  units: { agencyCode: string; agencyName: string; role: 'lead' | 'cooperating'; inspectionId: string | null }[];
  windowStart: string;
  windowEnd: string;
  respondBy: string;
}
