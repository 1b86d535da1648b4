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
    canonicalJson({ log: AUDIT_LOG_ID, type: 'checkpoint', seq: b.seq, chainSeq: b.chainSeq, headHash: b.headHash, signedAt: b.signedAt, kid: b.kid }),
    'utf8',
  );
}

/** What a verification record signs: "checkpoint N was verified at T" (so a routine check may start there). */
export function verificationBytes(checkpointSeq: number, verifiedAt: string, kid: string): Buffer {
  return Buffer.from(canonicalJson({ log: AUDIT_LOG_ID, type: 'verification', checkpointSeq, verifiedAt, kid }), 'utf8');
}


/** Offline check with a public key from the published keys; never throws. */
export function checkpointSignatureValid(publicKey: PublicKeyLike | undefined, c: Checkpoint): boolean {
  if (!publicKey || typeof c.signature !== 'string') return false;
  // Canonical base64url only, as for codes (docs/CODE-FORMAT.md); Ed25519 or SM2 by the key's own algorithm.
  const signature = decodeSignature(c.signature);
  return signature !== null && verifyBytesWith(publicKey, checkpointBytes(c), signature);
}
