import { cachedKeys, refreshKeys, verifyLocation } from './offline-verify.js';

/**
 * The signature check on the /v/ page, done by this phone (docs/CODE-FORMAT.md §7): online it refreshes
 * the kept key set, offline (the service worker serves the page from its cache) it uses the key set of
 * the last visit, and it always says when that was.
 */
const VERDICT_ZH = {
  valid: '签名有效：二维码中的检查信息由平台签发，未被改动',
  forged: '签名无效：二维码可能伪造或被改动，请核验检查人员的执法证件并举报',
  refused: '二维码内容格式不符，不能核验，请按伪造处理并核验执法证件',
  no_message: '本机暂不能核验签名：须联网取得签名信息（检查码生效后方可取得），请以页面上方的联网核验结果为准',
  no_keys: '本机尚未保存平台公钥，须联网打开一次后方可离线核验',
  unknown_key: '本机保存的公钥中没有该密钥，须联网更新公钥后核验',
  sm2_offline: '该检查码使用国密算法签名，本机浏览器不支持离线核验，须联网核验',
};
const COLOR = { valid: '#1a7f37', forged: '#cf222e', refused: '#cf222e' };

/** 9142****0000XX → the first four and last four characters, as the public check masks it. */
const maskCreditCode = (c) => (typeof c === 'string' && c.length > 8 ? `${c.slice(0, 4)}${'*'.repeat(c.length - 8)}${c.slice(-4)}` : '****');

const zhTime = (iso) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function row(dl, term, value, field) {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  if (field) dd.dataset.field = field;
  dl.append(dt, dd);
}

function render(section, result, keySet) {
  section.hidden = false;
  section.replaceChildren();
  const head = document.createElement('h2');
  head.style.fontSize = '1rem';
  head.textContent = '本机离线核验签名';
  const verdict = document.createElement('div');
  verdict.className = 'status';
  verdict.dataset.testid = 'offline-verdict';
  verdict.dataset.verdict = result.verdict;
  verdict.style.background = COLOR[result.verdict] ?? '#57606a';
  verdict.textContent = VERDICT_ZH[result.verdict];
  section.append(head, verdict);
  // One verdict per page: where this phone's answer differs from the online one above, say why, never both bare.
  const online = document.querySelector('[data-status]')?.getAttribute('data-status');
  if (online === 'valid' && (result.verdict === 'forged' || result.verdict === 'refused')) {
    const why = document.createElement('p');
    why.dataset.testid = 'verdict-difference';
    why.textContent = '与上方结果不同的原因：平台按检查码编号和签名查到有效登记，但二维码中附带的检查信息与平台签发的不一致（已被改动）。请以上方平台登记的检查单位、事项和时间为准，并当心被篡改的二维码。';
    section.append(why);
  }
  if (result.facts) {
    const f = result.facts;
    const dl = document.createElement('dl');
    const now = new Date();
    const when = now < new Date(f.validFrom) ? '尚未到检查码有效时间' : now > new Date(f.validTo) ? '已超过检查码有效时间' : '当前在检查码有效时间内';
    // Names, not codes: the signed message carries only codes, so the card gives what a person checks at the
    // gate — the enterprise (its credit code masked, as the online answer masks it), the window and the team
    // size — and leaves the agencies and matters by name to the online answer above.
    row(dl, '被检查企业统一社会信用代码', maskCreditCode(f.enterprise), 'offline-enterprise');
    row(dl, '检查单位', `${f.agencies.length} 个（名称见上方联网核验结果）`);
    row(dl, '检查事项', `${f.matters.length} 项（名称见上方联网核验结果）`);
    row(dl, '检查码有效时间', `${zhTime(f.validFrom)} 至 ${zhTime(f.validTo)}（${when}）`, 'offline-window');
    row(dl, '检查人员人数', String(f.inspectorCount));
    section.append(dl);
  }
  const note = document.createElement('p');
  note.className = 'muted';
  note.dataset.testid = 'keys-fetched-at';
  note.textContent = keySet ? `本机保存的平台公钥更新于 ${zhTime(keySet.fetchedAt)}。离线时无法得知检查码是否已被撤销。` : '本机尚未保存平台公钥。';
  section.append(note);
}

const section = document.getElementById('offline-check');
if (section) {
  if ('serviceWorker' in navigator) {
    // Keeps this page for the next visit without signal; scope /v/ so only check pages are served from it.
    navigator.serviceWorker.register('/portal/check-sw.js', { scope: '/v/' }).catch(() => {});
  }
  const keySet = navigator.onLine ? await refreshKeys() : cachedKeys();
  render(section, await verifyLocation(location, keySet), keySet);
  section.dataset.ready = 'true';
}
