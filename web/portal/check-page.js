import { apiClient, fill, h, problemBox, tokenClaims } from '/assets/ui.js';
import { resultCard } from './result.js';
import { TOKEN_KEY, verifyVisit } from './verify.js';

/**
 * On the public check page (/v/{code}): a signed-in enterprise answers "这次检查是否经过授权？" in one tap —
 * the check and its own scan, recorded. Without an enterprise token the page stays the public check,
 * with a way to sign in.
 */
const section = document.getElementById('enterprise-check');
const token = localStorage.getItem(TOKEN_KEY);
const claims = token ? tokenClaims(token) : null;
const params = new URLSearchParams(location.search);
const code = section.dataset.code;

if (claims?.role === 'enterprise') {
  const out = h('div');
  const button = h('button', { class: 'primary big', type: 'button', 'data-testid': 'verify' }, '这次检查是否经过授权？');
  button.addEventListener('click', async () => {
    button.disabled = true;
    fill(out, h('p', { class: 'muted' }, '正在核验…'));
    try {
      fill(out, resultCard(await verifyVisit(apiClient(() => token), { code, k: params.get('k') ?? undefined, s: params.get('s') ?? undefined }), { facts: false }));
    } catch (err) {
      fill(out, problemBox(err));
    } finally {
      button.disabled = false;
    }
  });
  // The enterprise by name (/me's unitName), not its credit code; the line says so once the name is known.
  const signedInAs = h('p', { class: 'muted', 'data-testid': 'signed-in-as' }, '已登录企业：核验并登记本次扫码。');
  apiClient(() => token)('/api/v1/me')
    .then((me) => me?.unitName && fill(signedInAs, `已登录企业 ${me.unitName}：核验并登记本次扫码。`))
    .catch(() => {});
  fill(section, signedInAs, button, out);
} else {
  // A button-sized link, not a word inside the sentence: it is tapped on a phone at the gate (44 px, issue 24).
  fill(
    section,
    h('p', {}, '被检查企业登录企业服务后重新扫码，可一键核验本次检查是否经过授权并登记扫码。'),
    h('a', { href: '/portal/', class: 'button primary big', 'data-testid': 'portal-signin' }, '登录企业服务'),
  );
}
section.hidden = false;
