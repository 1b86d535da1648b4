import { setup } from 'xstate';

/**
 * 电子技术监控设备 (Art. 34–36). A device is registered, passes the legal review (Art. 35, four points) and
 * the technical review (Art. 36, four points) in either order — Art. 35 asks for both (应当经过法制审核和
 * 技术审核), not for one before the other — and is `reviewed` once both have passed. Its location is then
 * published (Art. 34: 正式投入使用前向社会公布设置地点), and only then does it go into use; it goes to
 * maintenance and back, and is retired.
 *
 * A review that does not pass is recorded and leaves the device where it was (the event is taken, the
 * state does not move), so the next review starts from the same place. Facts travel on the event.
 */
export type DeviceState = 'registered' | 'legal_reviewed' | 'technical_reviewed' | 'reviewed' | 'published' | 'in_use' | 'maintenance' | 'retired';

export type DeviceEvent =
  | { type: 'LEGAL_REVIEW'; passed: boolean }
  | { type: 'TECHNICAL_REVIEW'; passed: boolean }
  | { type: 'PUBLISH' }
  | { type: 'ACTIVATE' }
  | { type: 'MAINTENANCE' }
  | { type: 'RETIRE' };

/**
 * A state table (issue 25: one place decides): the reviews' outcomes travel on their events; the device
 * rules (DEVICE_UNREVIEWED, DEVICE_NOT_PUBLISHED, DEVICE_NOT_IN_USE) are judged by their declarations
 * (src/rules/declarations/devices.ts) against the capture time, not by this machine. No count guards.
 */
export const deviceMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as DeviceEvent },
  // Named so a failed review is a transition (xstate counts a targetless one only by its actions); the
  // command stores the review, the machine does no I/O.
  actions: { recordFailedReview: () => {} },
  guards: {
    /** Art. 35: every point of the legal review answered satisfactorily. */
    isLegalReviewPassed: ({ event }) => event.type === 'LEGAL_REVIEW' && event.passed,
    /** Art. 36: every point of the technical review answered satisfactorily. */
    isTechnicalReviewPassed: ({ event }) => event.type === 'TECHNICAL_REVIEW' && event.passed,
  },
}).createMachine({
  id: 'device',
  initial: 'registered',
  context: {},
  states: {
    registered: {
      on: {
        LEGAL_REVIEW: [{ guard: 'isLegalReviewPassed', target: 'legal_reviewed' }, { actions: 'recordFailedReview' }],
        TECHNICAL_REVIEW: [{ guard: 'isTechnicalReviewPassed', target: 'technical_reviewed' }, { actions: 'recordFailedReview' }],
        RETIRE: { target: 'retired' },
      },
    },
    /** The legal review has passed; the technical one is still owed. */
    legal_reviewed: {
      on: {
        TECHNICAL_REVIEW: [{ guard: 'isTechnicalReviewPassed', target: 'reviewed' }, { actions: 'recordFailedReview' }],
        RETIRE: { target: 'retired' },
      },
    },
    /** The technical review has passed; the legal one is still owed. */
    technical_reviewed: {
      on: {
        LEGAL_REVIEW: [{ guard: 'isLegalReviewPassed', target: 'reviewed' }, { actions: 'recordFailedReview' }],
        RETIRE: { target: 'retired' },
      },
    },
    /** Both reviews have passed: the location may be published. */
    reviewed: { on: { PUBLISH: { target: 'published' }, RETIRE: { target: 'retired' } } },
    published: { on: { ACTIVATE: { target: 'in_use' }, RETIRE: { target: 'retired' } } },
    in_use: { on: { MAINTENANCE: { target: 'maintenance' }, RETIRE: { target: 'retired' } } },
    maintenance: { on: { ACTIVATE: { target: 'in_use' }, RETIRE: { target: 'retired' } } },
    retired: { type: 'final' },
  },
});

export const DEVICE_STATE_ZH: Record<DeviceState, string> = {
  registered: '已登记',
  legal_reviewed: '已通过法制审核、待技术审核',
  technical_reviewed: '已通过技术审核、待法制审核',
  reviewed: '已通过法制审核和技术审核',
  published: '设置地点已公布',
  in_use: '使用中',
  maintenance: '维护中',
  retired: '已停用',
};

/** States whose location the public list shows: published before use (Art. 34), and in use. */
export const PUBLIC_DEVICE_STATES: readonly DeviceState[] = ['published', 'in_use'];
