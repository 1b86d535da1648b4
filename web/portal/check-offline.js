import { cachedKeys, keepKeys, refreshKeys, verifyLocation } from './offline-verify.js';

/**
 * The signature check on the /v/ page, done by this phone (docs/CODE-FORMAT.md §7). The page shows ONE
 * verdict at the top (data-testid="verdict"): online it is the platform's (有效 / 未到生效时间 / 已失效 /
 * 已结束 / 已撤销 / 签名无效 / 查无此码), and this phone's check only adds a line that agrees with it — or turns
 * it to 签名无效 when the facts the QR carries were altered, saying why in one line. Offline (the service
 * worker serves check-offline.html) this script writes the verdict itself: 有效 / 未到生效时间 / 已失效 from
 * the signed window, 签名无效, or 须联网核验 with the reason this phone cannot check.
 */

/** This phone's signature check, one line under the verdict (data-testid="offline-verdict"). */
const CHECK_ZH = {
  valid: '签名有效：二维码中的检查信息由平台签发，未被改动',
  forged: '签名无效：二维码可能伪造或被改动，请核验检查人员的执法证件并举报',
  refused: '签名无效：二维码中的签名格式不符，不能核验，请按伪造处理并核验执法证件',
  no_message: '本机暂不能核验签名：二维码未附带签名所覆盖的检查信息',
  no_keys: '本机尚未保存平台公钥，不能核验签名',
  unknown_key: '本机保存的公钥中没有该密钥，须联网更新公钥后核验',
};
const KIND_ZH = { routine: '日常检查', special: '专项检查', case: '个案检查', joint: '综合查一次联合检查' };
const COLOR = { valid: '#1a7f37', not_yet_valid: '#9a6700', expired: '#9a6700', forged: '#cf222e', online_required: '#57606a' };

/** 9142****0000XX → the first four and last four characters, as the public check masks it. */
const maskCreditCode = (c) => (typeof c === 'string' && c.length > 8 ? `${c.slice(0, 4)}${'*'.repeat(c.length - 8)}${c.slice(-4)}` : '****');

const zhTime = (iso) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function el(tag, props = {}, text = '') {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  if (text) e.textContent = text;
  return e;
}

function row(dl, term, value, field) {
  const dd = el('dd', field ? { 'data-field': field } : {}, value);
  dl.append(el('dt', {}, term), dd);
}

/** Writes the one verdict: its word, its explanation, its colour. */
function setVerdict(box, verdict, word, why) {
  box.dataset.verdict = verdict;
  box.style.background = COLOR[verdict] ?? '#57606a';
  box.replaceChildren(el('span', { className: 'verdict-word' }, word), '：', el('span', { className: 'verdict-why' }, why));
  box.hidden = false;
}

/** Why this phone could not check, in one line, for 须联网核验 (offline) or under the platform's verdict (online). */
function reasonOffline(result) {
  if (result.verdict === 'no_message') {
    return result.compact
      ? '这是早期打印的精简二维码，不含签名所覆盖的检查信息；本机此前未联网打开过该检查码，离线时无法核验签名。请恢复网络后重新扫码，同时当面核验检查人员的执法证件。'
      : '二维码未附签名，离线时只能联网核验。请恢复网络后重新扫码，同时当面核验检查人员的执法证件。';
  }
  if (result.verdict === 'no_keys') return '本机尚未保存平台公钥（须联网打开一次检查码页面后方可离线核验）。请恢复网络后重新扫码。';
  return '该检查码的签名密钥不在本机保存的公钥中，须联网更新公钥后核验。';
}

function onlineLine(result, serverStatus, signatureChecked) {
  // The signature proves the facts, not the code's state: a revoked or not-yet-open code is never called 一致.
  if (result.verdict === 'valid') return serverStatus === 'valid' ? '本机核验签名有效，与平台登记一致。' : '本机核验签名有效，二维码中的检查信息未被改动；检查码状态以上方结果为准。';
  if (signatureChecked) {
    if (result.verdict === 'no_message') return serverStatus === 'not_yet_valid' ? '检查码生效前，平台不提供签名所覆盖的检查信息，本机暂不核验；平台已核对二维码签名，以上方结果为准。' : '平台已核对二维码签名，以上方结果为准。';
    return `${CHECK_ZH[result.verdict]}；平台已联网核对二维码签名，以上方结果为准。`;
  }
  return '二维码未附签名，本机不能核验签名，以上方平台登记的状态为准。';
}

function render(section, result, keySet) {
  section.hidden = false;
  section.replaceChildren();
  const online = document.querySelector('[data-testid="verdict"][data-status]');
  const line = el('p', { 'data-testid': 'offline-verdict', 'data-verdict': result.verdict, className: 'check-line' });
  section.append(el('h2', { style: 'font-size:1rem;margin:0' }, '本机核验签名'), line);

  if (online) {
    const serverStatus = online.dataset.status;
    if ((result.verdict === 'forged' || result.verdict === 'refused') && serverStatus !== 'forged' && serverStatus !== 'unknown') {
      // The code and its signature are registered, but the facts the QR carries are not the ones signed:
      // the QR in front of the enterprise was altered. That is the verdict; the platform's record below is the truth.
      const before = online.querySelector('.verdict-word')?.textContent ?? '已登记';
      setVerdict(online, 'forged', '签名无效', '二维码中的检查信息被改动，与平台签发的不一致，请核验检查人员的执法证件并举报');
      line.textContent = CHECK_ZH[result.verdict];
      section.append(
        el('p', { 'data-testid': 'verdict-difference' }, `与平台登记状态（${before}）不同的原因：检查码编号和签名在平台有登记，但二维码附带的检查时间、单位或人数与签发时不一致。以下为平台登记的信息，请以此为准。`),
      );
    } else {
      line.textContent = onlineLine(result, serverStatus, section.dataset.signatureChecked === 'true');
    }
  } else {
    // Offline: this script gives the page's only verdict.
    const box = document.querySelector('[data-testid="verdict"]');
    if (result.verdict === 'valid') {
      const f = result.facts;
      const now = new Date();
      if (now < new Date(f.validFrom)) setVerdict(box, 'not_yet_valid', '未到生效时间', `检查码自 ${zhTime(f.validFrom)} 起生效，此前不得据此检查`);
      else if (now > new Date(f.validTo)) setVerdict(box, 'expired', '已失效', `检查码有效时间已于 ${zhTime(f.validTo)} 结束`);
      else setVerdict(box, 'valid', '有效', '二维码签名有效，当前在检查码有效时间内');
    } else if (result.verdict === 'forged' || result.verdict === 'refused') {
      setVerdict(box, 'forged', '签名无效', '二维码可能伪造或被改动，请核验检查人员的执法证件并举报');
    } else {
      setVerdict(box, 'online_required', '须联网核验', reasonOffline(result));
    }
    line.textContent = CHECK_ZH[result.verdict];
    if (result.facts) {
      const f = result.facts;
      const dl = el('dl');
      // Names, not codes: the signed message carries only codes, so the card gives what a person checks at the
      // gate — the enterprise (its credit code masked, as the online answer masks it), the window and the team size.
      // The printed QR's packed facts (v2) carry the numbers of units and matters; a v1 message lists their codes.
      row(dl, '被检查企业统一社会信用代码', maskCreditCode(f.enterprise), 'offline-enterprise');
      if (KIND_ZH[f.kind]) row(dl, '检查类型', KIND_ZH[f.kind], 'offline-kind');
      row(dl, '检查单位数', `${f.agencyCount ?? f.agencies.length} 个（名称须联网查看）`);
      row(dl, '检查事项数', `${f.matterCount ?? f.matters.length} 项（名称须联网查看）`);
      row(dl, '检查码有效时间', `${zhTime(f.validFrom)} 至 ${zhTime(f.validTo)}`, 'offline-window');
      row(dl, '检查人员人数', String(f.inspectorCount), 'offline-inspectors');
      section.append(dl);
    }
  }
  section.append(
    el(
      'p',
      { className: 'muted', 'data-testid': 'keys-fetched-at' },
      keySet ? `本机保存的平台公钥更新于 ${zhTime(keySet.fetchedAt)}。${online ? '' : '离线时无法得知检查码是否已被撤销，恢复网络后请重新打开本页。'}` : '本机尚未保存平台公钥。',
    ),
  );
}

const section = document.getElementById('offline-check');
if (section) {
  if ('serviceWorker' in navigator) {
    // Keeps this page for the next visit without signal; scope /v/ so only check pages are served from it.
    navigator.serviceWorker.register('/portal/check-sw.js', { scope: '/v/' }).catch(() => {});
  }
  // The server's page carries the published keys itself (no second request to fail on a weak signal);
  // they are kept for the visits without signal. The offline shell uses what was kept.
  let embedded = null;
  try {
    embedded = section.dataset.keys ? JSON.parse(section.dataset.keys) : null;
  } catch {
    embedded = null;
  }
  const keySet = Array.isArray(embedded) && embedded.length ? keepKeys(embedded) : navigator.onLine ? await refreshKeys() : cachedKeys();
  render(section, await verifyLocation(location, keySet), keySet);
  section.dataset.ready = 'true';
}
