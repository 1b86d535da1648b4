import { describe, expect, it } from 'vitest';
import { decide } from '../../machines/kernel.js';
import { deviceMachine, PUBLIC_DEVICE_STATES } from '../../machines/device.machine.js';
import { referralMachine } from '../../machines/referral.machine.js';
import { transitionOrRefuse } from '../../src/commands/transition.js';
import { DomainError } from '../../src/errors/domain-error.js';

const referral = (state: string, event: Parameters<typeof decide<typeof referralMachine>>[3]) => decide(referralMachine, state, {}, event);
const device = (state: string, event: Parameters<typeof decide<typeof deviceMachine>>[3]) => decide(deviceMachine, state, {}, event);
const transfer = { type: 'CRIME_TRANSFER' as const, documentNo: '武昌环移〔2026〕1号', receivingOrgan: '武汉市公安局武昌区分局' };

function refusalOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('referral machine (Art. 23)', () => {
  it('goes opened → sent → received → accepted', () => {
    expect(referral('opened', { type: 'SEND' })).toMatchObject({ ok: true, state: 'sent' });
    expect(referral('sent', { type: 'RECEIVE' })).toMatchObject({ ok: true, state: 'received' });
    expect(referral('received', { type: 'ACCEPT' })).toMatchObject({ ok: true, state: 'accepted' });
  });

  it('never accepts before receiving, and never sends twice', () => {
    expect(referral('sent', { type: 'ACCEPT' })).toEqual({ ok: false, state: 'sent', allowed: ['ESCALATE', 'RECEIVE', 'REFUSE'] });
    expect(referral('opened', { type: 'ACCEPT' })).toEqual({ ok: false, state: 'opened', allowed: ['CRIME_TRANSFER', 'SEND'] });
    expect(referral('received', { type: 'SEND' })).toMatchObject({ ok: false, allowed: ['ACCEPT', 'ESCALATE', 'REFUSE'] });
  });

  it('takes a refusal without moving (the command then refuses it), only where a receiver could refuse', () => {
    expect(transitionOrRefuse(referralMachine, '移送', 'sent', {}, { type: 'REFUSE', reason: '不属于本单位职责' })).toBe('sent');
    expect(transitionOrRefuse(referralMachine, '移送', 'received', {}, { type: 'REFUSE', reason: '不属于本单位职责' })).toBe('received');
    const err = refusalOf(() => transitionOrRefuse(referralMachine, '移送', 'accepted', {}, { type: 'REFUSE', reason: '反悔' }));
    expect(err.code).toBe('INVALID_TRANSITION');
    expect(err.extensions).toMatchObject({ currentState: 'accepted', allowedEvents: ['CRIME_TRANSFER'] });
  });

  it('takes a competence dispute to the common superior only with the superior and a ground (hasEscalationGround)', () => {
    expect(referral('received', { type: 'ESCALATE', superiorAgencyCode: 'WH-ZF', ground: '' })).toMatchObject({ ok: false });
    expect(referral('received', { type: 'ESCALATE', superiorAgencyCode: ' ', ground: '职责交叉' })).toMatchObject({ ok: false });
    expect(referral('sent', { type: 'ESCALATE', superiorAgencyCode: 'WH-ZF', ground: '职责交叉' })).toMatchObject({ ok: true, state: 'escalated' });
    expect(referral('escalated', { type: 'ACCEPT' })).toMatchObject({ ok: true, state: 'accepted' });
    expect(referral('escalated', { type: 'REFUSE', reason: 'x' })).toMatchObject({ ok: false, allowed: ['ACCEPT'] });
  });

  it('transfers a suspected crime with its own document, before sending or after acceptance (hasTransferDocument)', () => {
    expect(referral('opened', transfer)).toMatchObject({ ok: true, state: 'crime_transferred' });
    expect(referral('accepted', transfer)).toMatchObject({ ok: true, state: 'crime_transferred' });
    expect(referral('opened', { ...transfer, documentNo: '  ' })).toMatchObject({ ok: false, state: 'opened' });
    expect(referral('sent', transfer)).toMatchObject({ ok: false });
    expect(referral('crime_transferred', { type: 'SEND' })).toEqual({ ok: false, state: 'crime_transferred', allowed: [] });
  });
});

describe('monitoring device machine (Art. 34–36)', () => {
  it('goes registered → legal review → technical review → reviewed → published → in use', () => {
    expect(device('registered', { type: 'LEGAL_REVIEW', passed: true })).toMatchObject({ ok: true, state: 'legal_reviewed' });
    expect(device('legal_reviewed', { type: 'TECHNICAL_REVIEW', passed: true })).toMatchObject({ ok: true, state: 'reviewed' });
    expect(device('reviewed', { type: 'PUBLISH' })).toMatchObject({ ok: true, state: 'published' });
    expect(device('published', { type: 'ACTIVATE' })).toMatchObject({ ok: true, state: 'in_use' });
  });

  it('第三十五条 asks for both reviews, not an order: the technical review may come first', () => {
    expect(device('registered', { type: 'TECHNICAL_REVIEW', passed: true })).toMatchObject({ ok: true, state: 'technical_reviewed' });
    expect(device('technical_reviewed', { type: 'LEGAL_REVIEW', passed: true })).toMatchObject({ ok: true, state: 'reviewed' });
  });

  it('keeps a device where it was when a review fails (the failed review is still taken and recorded)', () => {
    expect(transitionOrRefuse(deviceMachine, '设备', 'registered', {}, { type: 'LEGAL_REVIEW', passed: false })).toBe('registered');
    expect(transitionOrRefuse(deviceMachine, '设备', 'registered', {}, { type: 'TECHNICAL_REVIEW', passed: false })).toBe('registered');
    expect(transitionOrRefuse(deviceMachine, '设备', 'legal_reviewed', {}, { type: 'TECHNICAL_REVIEW', passed: false })).toBe('legal_reviewed');
    expect(transitionOrRefuse(deviceMachine, '设备', 'technical_reviewed', {}, { type: 'LEGAL_REVIEW', passed: false })).toBe('technical_reviewed');
  });

  it('refuses publication until both reviews have passed, use before publication, and a passed review twice', () => {
    expect(device('registered', { type: 'PUBLISH' })).toEqual({ ok: false, state: 'registered', allowed: ['LEGAL_REVIEW', 'RETIRE', 'TECHNICAL_REVIEW'] });
    expect(device('legal_reviewed', { type: 'PUBLISH' })).toMatchObject({ ok: false });
    expect(device('technical_reviewed', { type: 'PUBLISH' })).toMatchObject({ ok: false });
    expect(device('legal_reviewed', { type: 'LEGAL_REVIEW', passed: true })).toMatchObject({ ok: false });
    expect(device('technical_reviewed', { type: 'TECHNICAL_REVIEW', passed: true })).toMatchObject({ ok: false });
    expect(device('reviewed', { type: 'ACTIVATE' })).toEqual({ ok: false, state: 'reviewed', allowed: ['PUBLISH', 'RETIRE'] });
  });

  it('goes to maintenance and back, and retires from anywhere but retired', () => {
    expect(device('in_use', { type: 'MAINTENANCE' })).toMatchObject({ ok: true, state: 'maintenance' });
    expect(device('maintenance', { type: 'ACTIVATE' })).toMatchObject({ ok: true, state: 'in_use' });
    for (const s of ['registered', 'legal_reviewed', 'technical_reviewed', 'reviewed', 'published', 'in_use', 'maintenance']) {
      expect(device(s, { type: 'RETIRE' }), s).toMatchObject({ ok: true, state: 'retired' });
    }
    expect(device('retired', { type: 'ACTIVATE' })).toEqual({ ok: false, state: 'retired', allowed: [] });
  });

  it('lists only published and in-use devices publicly', () => {
    expect([...PUBLIC_DEVICE_STATES].sort()).toEqual(['in_use', 'published']);
  });
});
