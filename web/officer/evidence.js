// @ts-check
import { ApiError, fill, fmtTime, h } from '../assets/ui.js';
import { refusalBox } from './common.js';

/**
 * 现场取证 on the phone: a photo or a short video straight from the camera, attached to the inspection with
 * the time and place the file records (EXIF, read by the server) or, with the officer's consent, the place
 * the phone reports now. Every file is listed with its SHA-256, which anyone who may see the inspection can
 * check: the phone downloads the file, hashes it itself and compares with what the audit chain recorded.
 */

/** @param {Blob} file */
function base64Of(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

/**
 * The phone's position, asked for only after the officer ticked the consent box; null when refused or unavailable.
 * @returns {Promise<{ latitude: number, longitude: number, accuracyM: number } | null>}
 */
export function devicePosition() {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracyM: Math.round(p.coords.accuracy) }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  });
}

/** @param {ArrayBuffer} bytes */
async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const SOURCE_ZH = { exif: '文件记录', device: '本机读取' };

/**
 * When the file was taken, on the server's clock: a phone's clock may be set wrong, so the file's age by the
 * phone's own clock is taken from the server's present instead of trusting the phone's date.
 * @param {number} lastModified
 */
async function takenAt(lastModified) {
  // The server's present, asked now (the shell's copy dates from the page load).
  const now = await fetch('/web-env.json', { headers: { accept: 'application/json' } })
    .then((r) => r.json())
    .then((e) => new Date(e.now).getTime())
    .catch(() => Date.now());
  const serverNow = Number.isFinite(now) ? now : Date.now();
  return new Date(serverNow - Math.max(0, Date.now() - lastModified)).toISOString();
}

/**
 * @param {{ api: import('../shared/shell.js').Api, inspection: any, canAttach: boolean }} opts
 */
export async function evidenceSection({ api, inspection, canAttach }) {
  const list = h('ul', { class: 'list', 'data-testid': 'evidence-list' });
  const fileError = h('div', { 'data-testid': 'evidence-error' });

  /** @param {any} e */
  const item = (e) => {
    const result = h('span', { class: 'muted', 'data-testid': 'evidence-verified' });
    const check = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-testid': 'verify-evidence' }, '核验哈希'));
    check.addEventListener('click', async () => {
      check.disabled = true;
      check.textContent = '核验中…';
      try {
        // The phone hashes the bytes it received, and the server says what it stored and what the audit chain recorded.
        const [file, report] = await Promise.all([api.raw(e.url).then((r) => r.arrayBuffer()), api(`${e.url.replace(/\/file$/, '')}/verify`)]);
        const mine = await sha256Hex(file);
        const ok = report.intact && mine === report.auditSha256;
        result.dataset.ok = String(ok);
        fill(result, ok ? '✓ 与审计链记录的哈希一致' : '✗ 与审计链记录的哈希不一致，请报告监督人员');
      } catch (err) {
        fill(result, refusalBox(err));
      } finally {
        check.disabled = false;
        check.textContent = '核验哈希';
      }
    });
    const where = e.location ? `位置 ${e.location.latitude.toFixed(5)}, ${e.location.longitude.toFixed(5)}（${SOURCE_ZH[/** @type {'exif'|'device'} */ (e.location.source)] ?? ''}）` : '位置未记录';
    const when = e.capturedAt ? `拍摄于 ${fmtTime(e.capturedAt)}（${SOURCE_ZH[/** @type {'exif'|'device'} */ (e.capturedAtSource)] ?? ''}）` : '拍摄时间未记录';
    return h(
      'li',
      { 'data-testid': 'evidence-item', 'data-sha256': e.sha256 },
      h('div', { class: 'item-title' }, `${e.kindZh}${e.note ? `：${e.note}` : ''}`),
      h('div', { class: 'muted' }, `${when}；${where}`),
      h('div', { class: 'muted hash' }, `SHA-256：${e.sha256}`),
      check,
      result,
    );
  };

  const refresh = async () => {
    /** @type {any[]} */
    const rows = await api(`/api/v1/inspections/${inspection.id}/evidence`);
    fill(list, rows.length ? rows.map(item) : h('li', { class: 'muted' }, '尚无取证材料。'));
  };
  await refresh();
  if (!canAttach) return h('section', { class: 'card', 'data-testid': 'evidence' }, h('h2', {}, '现场取证'), list);

  // The browser's own file button speaks the browser's language ("Choose File" on an English system): the
  // input is hidden behind a button in Chinese, and the chosen file's name is said beside it.
  const input = /** @type {HTMLInputElement} */ (h('input', { type: 'file', class: 'file-input', accept: 'image/*,video/*', capture: 'environment', 'data-testid': 'evidence-file', 'aria-describedby': 'evidence-help' }));
  const chosen = h('span', { class: 'muted', 'data-testid': 'evidence-chosen' }, '未选择文件');
  input.addEventListener('change', () => fill(chosen, input.files?.[0]?.name ?? '未选择文件'));
  const note = /** @type {HTMLInputElement} */ (h('input', { 'data-testid': 'evidence-note', placeholder: '说明（可选），如：仓库货架', maxlength: '500' }));
  const consent = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', 'data-testid': 'evidence-consent' }));
  const send = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'primary', 'data-testid': 'attach-evidence' }, '上传取证材料'));
  send.addEventListener('click', async () => {
    const file = input.files?.[0];
    if (!file) return fill(fileError, h('div', { class: 'alert error', role: 'alert' }, '请先拍摄或选择一张照片、一段短视频。'));
    send.disabled = true;
    send.textContent = '正在上传…';
    fill(fileError);
    try {
      const position = consent.checked ? await devicePosition() : null;
      /** @type {Record<string, any>} */
      const device = { ...(file.lastModified ? { capturedAt: await takenAt(file.lastModified) } : {}), ...(position ?? {}) };
      await api(`/api/v1/inspections/${inspection.id}/evidence`, {
        method: 'POST',
        body: { dataBase64: await base64Of(file), ...(file.type ? { contentType: file.type } : {}), ...(note.value.trim() ? { note: note.value.trim() } : {}), device },
      });
      input.value = '';
      fill(chosen, '未选择文件');
      note.value = '';
      await refresh();
    } catch (err) {
      // The refusal names the field (type, size); it is shown beside the file picker and scrolled into view.
      fill(fileError, err instanceof ApiError ? refusalBox(err) : h('div', { class: 'alert error', role: 'alert' }, `上传失败：${err instanceof Error ? err.message : String(err)}`));
      fileError.scrollIntoView({ block: 'center' });
    } finally {
      send.disabled = false;
      send.textContent = '上传取证材料';
    }
  });

  return h(
    'section',
    { class: 'card', 'data-testid': 'evidence' },
    h('h2', {}, '现场取证'),
    h('div', { class: 'file-field' }, h('span', { class: 'field-title' }, '拍照或录制短视频'), h('label', { class: 'button file-pick' }, '拍照或选择文件', input), chosen),
    h('p', { class: 'muted', id: 'evidence-help' }, '拍摄时间和地点优先取照片自带的记录；没有时按下方选择取本机时间和位置。'),
    fileError,
    h('label', { class: 'field' }, '说明', note),
    h('label', { class: 'choice' }, consent, '同意读取本机位置，记入取证材料'),
    send,
    list,
  );
}
