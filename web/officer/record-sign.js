// @ts-check
import { download, fill, fmtTime, h } from '../assets/ui.js';
import { refusalBox } from './common.js';

/**
 * 现场检查笔录: the record made from the findings, shown to the enterprise's representative, who signs it with
 * a finger on the officer's phone. The pad draws with pointer events (touch, pen or mouse) and sends the
 * strokes as a PNG; the server keeps the image and its hash on the audit chain and prints it on the PDF.
 */

/** A canvas the representative signs on; `isEmpty` until the first stroke. */
function signaturePad() {
  const canvas = /** @type {HTMLCanvasElement} */ (
    h('canvas', { class: 'signature-pad', width: '600', height: '240', 'data-testid': 'signature-pad', role: 'img', 'aria-label': '签名区：请用手指在此处签名' })
  );
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  let empty = true;
  /** @type {{ x: number, y: number } | null} */
  let last = null;
  const reset = () => {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 4;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    empty = true;
  };
  reset();
  /** @param {PointerEvent} e */
  const point = (e) => {
    const r = canvas.getBoundingClientRect();
    // The canvas is drawn at 600×240 and shown at the screen's width: scale the finger's position to it.
    return { x: ((e.clientX - r.left) * canvas.width) / r.width, y: ((e.clientY - r.top) * canvas.height) / r.height };
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = point(e);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = point(e);
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
    empty = false;
  });
  const end = () => {
    last = null;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  return { canvas, reset, isEmpty: () => empty, png: () => canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '') };
}

const ROLES = ['法定代表人', '委托代理人', '现场负责人'];

/**
 * @param {{ api: import('../shared/shell.js').Api, inspection: any, canSign: boolean }} opts
 */
export async function recordSection({ api, inspection, canSign }) {
  const state = await api(`/api/v1/inspections/${inspection.id}/record`);
  const pdf = h('button', { type: 'button', 'data-testid': 'record-pdf', onclick: async () => download(await api.raw(state.pdfUrl), '现场检查笔录.pdf') }, '查看现场检查笔录（PDF）');
  if (state.signed) {
    const s = state.signature;
    return h(
      'section',
      { class: 'card', 'data-testid': 'record', 'data-signed': 'true' },
      h('h2', {}, '现场检查笔录'),
      h('p', { 'data-testid': 'record-signed' }, `已由${s.signerName}（${s.signerRole}）于 ${fmtTime(s.signedAt)} 签名。`),
      h('p', { class: 'muted hash' }, `签名图像 SHA-256：${s.signatureSha256}`),
      pdf,
    );
  }

  if (!canSign) return h('section', { class: 'card', 'data-testid': 'record', 'data-signed': 'false' }, h('h2', {}, '现场检查笔录'), h('p', { class: 'muted' }, '笔录尚未由被检查单位签名。'), pdf);

  const pad = signaturePad();
  const name = /** @type {HTMLInputElement} */ (h('input', { 'data-testid': 'signer-name', autocomplete: 'name', maxlength: '50' }));
  const role = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'signer-role' }, ROLES.map((r) => h('option', { value: r }, r))));
  const nameError = h('div', { 'data-testid': 'signer-name-error' });
  const padError = h('div', { 'data-testid': 'signature-error' });
  const out = h('div');
  const confirmBox = h('div', { 'data-testid': 'sign-confirm-box' });
  const send = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'primary big', 'data-testid': 'sign-record' }, '确认签名'));

  const submit = async () => {
    send.disabled = true;
    send.textContent = '正在提交…';
    try {
      await api(`/api/v1/inspections/${inspection.id}/record/signature`, { method: 'POST', body: { signerName: name.value.trim(), signerRole: role.value, pngBase64: pad.png() } });
      const next = await recordSection({ api, inspection, canSign });
      section.replaceWith(next);
    } catch (err) {
      fill(out, refusalBox(err));
      out.scrollIntoView({ block: 'center' });
      send.disabled = false;
      send.textContent = '确认签名';
    }
  };
  send.addEventListener('click', () => {
    fill(nameError);
    fill(padError);
    if (!name.value.trim()) {
      fill(nameError, h('div', { class: 'alert error', role: 'alert' }, '请填写签名人姓名。'));
      return name.focus();
    }
    if (pad.isEmpty()) return fill(padError, h('div', { class: 'alert error', role: 'alert' }, '请在签名区内签名。'));
    // Signing cannot be undone: ask once more, on the page (a system dialog can be dismissed by accident).
    fill(
      confirmBox,
      h(
        'div',
        { class: 'alert', role: 'alertdialog', 'aria-label': '确认签名' },
        h('p', {}, `签名提交后不能修改或重签。确认由${name.value.trim()}（${role.value}）签署本笔录？`),
        h('button', { type: 'button', class: 'primary', 'data-testid': 'sign-confirm', onclick: () => (fill(confirmBox), submit()) }, '确认提交'),
        h('button', { type: 'button', onclick: () => fill(confirmBox) }, '返回修改'),
      ),
    );
  });

  const section = h(
    'section',
    { class: 'card', 'data-testid': 'record', 'data-signed': 'false' },
    h('h2', {}, '现场检查笔录'),
    h('p', { class: 'muted' }, '请被检查单位的代表查看笔录内容，核对无误后在下方签名。'),
    pdf,
    h('label', { class: 'field' }, '签名人姓名', name),
    nameError,
    h('label', { class: 'field' }, '签名人身份', role),
    h('p', { class: 'field-label' }, '签名'),
    pad.canvas,
    padError,
    h('button', { type: 'button', 'data-testid': 'signature-clear', onclick: () => pad.reset() }, '清除重签'),
    send,
    confirmBox,
    out,
  );
  return section;
}
