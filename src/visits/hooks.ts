import type { InspectionEvent } from '../../machines/inspection.machine.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import type { SQL } from 'drizzle-orm';
import type { Coordination } from './coordination-advice.js';
import type { Inspection, InspectionCode } from './repository.js';
import type { RevocationCategory } from '../codes/revocation.js';

/**
 * The points where another flow (综合查一次, src/visits/joint) takes part in a single inspection's commands. The
 * inspection module declares them and never imports their implementation: the app wires the joint one in
 * at build time (src/visits/joint/inspection-hooks.ts, Services.inspectionHooks), so dependencies point one way.
 *
 * Order matters: hooks that may refuse run before anything is written and write nothing; hooks that write
 * run only once the machine has allowed the transition.
 */
export interface InspectionHooks {
  /**
   * What beforeCode and afterCode read, as one JSON value the code issuance reads with its other facts in one
   * statement (src/visits/issue-facts.ts) and hands back to them as `ahead`; without it they read for themselves.
   */
  codeReads?(i: Inspection): SQL;
  /** Before a single inspection's code: refuses when the row is not the caller's to code (read-only). */
  beforeCode(tx: Db, i: Inspection, ahead?: unknown): Promise<void>;
  /** After the code is issued and the row moved: detectors that read the issued visit (Art. 26). */
  afterCode(tx: Db, scope: CommandScope, actor: Principal, i: Inspection, ahead?: unknown): Promise<void>;
  /**
   * Before a state step on a row: the stepped row when another flow took the step for it, undefined when
   * the single-inspection command goes on. Refusing here writes nothing.
   */
  onStep(tx: Db, scope: CommandScope, actor: Principal, i: Inspection, step: InspectionStep): Promise<Inspection | undefined>;
  /** After an accepted scan moved the scanned row: the other rows the same code covers move too. */
  afterScan(tx: Db, scope: CommandScope, code: InspectionCode): Promise<void>;
  /** After an on-site draft is inserted: the coordination advice (Art. 26), kept with the officer's reason. */
  adviseDraft(tx: Db, scope: CommandScope, actor: Principal, d: Inspection, aloneReason: string | undefined): Promise<Coordination | undefined>;
  /**
   * After a single inspection's scheme changed without a new draft — the head approved it, or its drafter
   * amended its window, matters or team — and the row is written: the joint visit it may now be proposed
   * for (Art. 26: 应协同尽协同 at approval as at drafting). Writes only what it proposes.
   */
  afterSchemeChange(tx: Db, scope: CommandScope, actor: Principal, i: Inspection, change: 'approved' | 'amended'): Promise<void>;
}

/** What is asked of the row: a machine event, or the revocation of its code (which cancels the visit). */
export type InspectionStep = { type: 'event'; event: InspectionEvent } | { type: 'revoke_code'; code: string; reason: string; category: RevocationCategory };

/** For a step taken on a row no other flow shares (a proposal's withdrawn single draft): every hook a no-op. */
export const NO_INSPECTION_HOOKS: InspectionHooks = {
  beforeCode: async () => undefined,
  afterCode: async () => undefined,
  onStep: async () => undefined,
  afterScan: async () => undefined,
  adviseDraft: async () => undefined,
  afterSchemeChange: async () => undefined,
};
