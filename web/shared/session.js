// @ts-check
/**
 * The one place a front end keeps its token (身份令牌). Every app stores it the same way — localStorage,
 * one key per app — so a QR code scanned on a phone opens a new tab already signed in (officers at the
 * gate, enterprises checking a code), and 退出 removes it. The server verifies every call; the claims
 * read here are for display only.
 */

/** @param {string} app e.g. 'console', 'portal', 'officer' */
export const tokenKey = (app) => `wh327.${app}.token`;

/**
 * @param {string} app
 * @returns {{ get: () => string | null, set: (token: string) => void, clear: () => void }}
 */
export function session(app) {
  const key = tokenKey(app);
  return {
    get: () => localStorage.getItem(key),
    set: (token) => localStorage.setItem(key, token),
    clear: () => localStorage.removeItem(key),
  };
}

/**
 * The claims of a JWT, for display and for choosing the sign-in message; null when it is not one.
 * @param {string} token
 * @returns {Record<string, unknown> | null}
 */
export function tokenClaims(token) {
  try {
    const part = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent([...atob(part)].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
    const claims = JSON.parse(json);
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}
