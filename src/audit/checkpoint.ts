import { verifyBytesWith, type PublicKeyLike } from '../codes/keys.js';
import { decodeSignature } from '../codes/signature.js';
import { canonicalJson } from './canonical.js';

/**
 * A signed checkpoint (签名检查点) says: at `signedAt`, the audit chain of this log had `chainSeq` entries
 * and its head hash was `headHash`. Anyone holding a copy can later show that the chain was cut short
 * (fewer entries) or rewritten and rehashed (another hash at that position), which no hash chain can show
 * on its own. The signed bytes are the canonical JSON of the body below (the kid included, so a signature
 * cannot be moved to another key).
 */
export const AUDIT_LOG_ID = 'wh327-audit-log';

export interface CheckpointBody {
  seq: number;
  chainSeq: number;
  headHash: string;
  signedAt: string;
  kid: string;
  alg: string;
  /**
   * The recorded switch to append MACs: the first chain position that must carry one (rows before it may be
   * format 1). Signed when present; absent on checkpoints signed before the switch was recorded.
   */
  macFrom?: number;
}

export interface Checkpoint extends CheckpointBody {
  signature: string;
}

/**
 * The algorithm is not among the signed bytes: the kid names the key, and the published key says its
 * algorithm, so whichever algorithm the keyring signs with (Ed25519 today, SM2 later) applies unchanged.
 */
export function checkpointBytes(b: Omit<CheckpointBody, 'alg'>): Buffer {
  return Buffer.from(
    canonicalJson({
      log: AUDIT_LOG_ID,
      type: 'checkpoint',
      seq: b.seq,
      chainSeq: b.chainSeq,
      headHash: b.headHash,
      signedAt: b.signedAt,
      kid: b.kid,
      // Absent (not null) when not recorded, so checkpoints signed before the member existed still verify.
      macFrom: b.macFrom ?? undefined,
    }),
    'utf8',
  );
}

/** A verification record (校验记录): the chain up to `chainSeq`, whose hash there is `headHash`, verified at `verifiedAt`. */
export interface VerificationBody {
  checkpointSeq: number;
  chainSeq: number;
  headHash: string;
  verifiedAt: string;
  kid: string;
}

/**
 * What a verification record signs: "the chain up to position P, head hash H (checkpoint N), was verified at
 * T". The position and hash are signed, not only the number, so a record cannot vouch for another chain cut
 * back and signed again under the same number.
 */
export function verificationBytes(v: VerificationBody): Buffer {
  return Buffer.from(
    canonicalJson({ log: AUDIT_LOG_ID, type: 'verification', checkpointSeq: v.checkpointSeq, chainSeq: v.chainSeq, headHash: v.headHash, verifiedAt: v.verifiedAt, kid: v.kid }),
    'utf8',
  );
}


/** Offline check with a public key from the published keys; never throws. */
export function checkpointSignatureValid(publicKey: PublicKeyLike | undefined, c: Checkpoint): boolean {
  if (!publicKey || typeof c.signature !== 'string') return false;
  // Canonical base64url only, as for codes (docs/CODE-FORMAT.md); Ed25519 or SM2 by the key's own algorithm.
  const signature = decodeSignature(c.signature);
  return signature !== null && verifyBytesWith(publicKey, checkpointBytes(c), signature);
}
