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
  fill(section, h('p', { class: 'muted' }, `已登录企业 ${claims.creditCode ?? ''}：核验并登记本次扫码。`), button, out);
} else {
  fill(section, h('p', {}, '被检查企业：', h('a', { href: '/portal/' }, '登录企业服务'), '后重新扫码，可一键核验本次检查是否经过授权并登记扫码。'));
}
section.hidden = false;
