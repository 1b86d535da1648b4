/**
 * When a code starts to authorise (Art. 17(1): 检查前……获取检查码). A scheme's registered window may have
 * begun before the code is issued; the code must still never vouch for a moment before it existed, or an
 * agency could cover an earlier visit after the fact. So a code is valid from the later of the window's
 * start and the instant it was issued — this is the `validFrom` that is stored and signed.
 */
export function effectiveStart(windowStart: Date, issuedAt: Date): Date {
  return windowStart.getTime() > issuedAt.getTime() ? windowStart : issuedAt;
}

/** True when the window had already begun at issuance, so the code is valid only from its issuance. */
export function startsAtIssuance(windowStart: Date, issuedAt: Date): boolean {
  return windowStart.getTime() < issuedAt.getTime();
}

/** What the answer and the public check say in that case (zh-CN, shown to officers and enterprises). */
export const FROM_ISSUANCE_ZH = '登记的检查时间在签发前已经开始，检查码自签发时起生效，不覆盖签发前的时间';
