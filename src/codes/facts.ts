import { canonicalJson } from '../audit/canonical.js';

/**
 * What an inspection code vouches for (Art. 17(1): the platform records the time and the object of the
 * inspection before issuing the code). The signature covers exactly these fields, so an enterprise that
 * scans the code sees who may inspect it, for what, when, and with how many officers (Art. 18(1)).
 */
export interface CodeFacts {
  code: string;
  inspectionId: string;
  agencies: string[];
  /** 统一社会信用代码 of the inspected enterprise. */
  enterprise: string;
  matters: string[];
  kind: 'routine' | 'special' | 'case' | 'joint';
  /**
   * ISO-8601 UTC instants as written by `Date#toISOString()`; signed verbatim. `validFrom` is the effective
   * start — the registered window's start, or the issuance instant when the window had already begun
   * (src/codes/effective-start.ts) — so the signed facts never vouch for a moment before the code existed.
   */
  validFrom: string;
  validTo: string;
  inspectorCount: number;
}

/**
 * Names the payload inside the signed bytes, so a signature made for an inspection code can never be
 * replayed as a signature over some other JSON the same key might sign, and so a later format can be
 * told apart from this one.
 */
export const CODE_FACTS_SCHEMA = 'wuhan-327/inspection-code/v1';

function sortedCopy(values: readonly string[]): string[] {
  // Default sort compares UTF-16 code units: locale-independent, so every verifier gets the same order.
  return [...values].sort();
}

/**
 * The bytes the signature covers: canonical JSON (keys sorted, no whitespace) of the listed fields only —
 * extra properties of a JSON file are ignored — with agencies and matters sorted, because their order
 * carries no meaning and must not break a signature.
 */
export function canonicalFacts(f: CodeFacts): string {
  return canonicalJson({
    schema: CODE_FACTS_SCHEMA,
    code: f.code,
    inspectionId: f.inspectionId,
    agencies: sortedCopy(f.agencies),
    enterprise: f.enterprise,
    matters: sortedCopy(f.matters),
    kind: f.kind,
    validFrom: f.validFrom,
    validTo: f.validTo,
    inspectorCount: f.inspectorCount,
  });
}
