import { fill, h, notice, problemBox } from '/assets/ui.js';

/**
 * 报告一次检查 (Art. 40): when, who (as told, and the agency if known), what happened, the code shown,
 * the prohibitions seen, and a photo of the notice. The engine decides whether a valid code covered the
 * visit; the answer says so and names the flags the report raised.
 */
const PROHIBITIONS = [
  ['legal_rep_required', '刻意要求法定代表人到场'],
  ['gifts_or_meals', '索要或接受馈赠、宴请，或由企业支付消费'],
  ['designated_intermediary', '强制接受指定中介机构服务'],
  ['costs_shifted', '将检验检测等费用转嫁给企业'],
  ['repeated_testing', '对同一产品或批次重复检验检测'],
  ['disguised_label', '以观摩、督导、考察等名义行检查之实'],
];

/** A phone photo, scaled down to ≤ 1600 px and re-encoded as JPEG, as base64 (the API takes ≤ 2 MB). */
async function photoPayload(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  const canvas = h('canvas', { width: Math.round(bitmap.width * scale), height: Math.round(bitmap.height * scale) });
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const dataUrl = canvas.toDataURL('image/jpeg', 0.82);
  return { contentType: 'image/jpeg', dataBase64: dataUrl.slice(dataUrl.indexOf(',') + 1), preview: dataUrl };
}

export async function reportView({ api, agencyNames, query }) {
  const names = await agencyNames();
  const out = h('div');
  const preview = h('div');
  let photo;
  const now = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16);
  const agencySelect = h('select', { class: 'full', name: 'agencyCode', 'data-testid': 'report-agency-code' }, h('option', { value: '' }, '不清楚 / 不在列表中'), [...names].map(([code, name]) => h('option', { value: code }, name)));
  const fileInput = h('input', {
    type: 'file',
    accept: 'image/jpeg,image/png,image/webp',
    'data-testid': 'report-photo',
    onchange: async (e) => {
      const file = e.target.files[0];
      photo = undefined;
      fill(preview);
      if (!file) return;
      try {
        photo = await photoPayload(file);
        fill(preview, h('img', { class: 'preview', src: photo.preview, alt: '通知书照片预览' }));
      } catch {
        fill(preview, h('div', { class: 'alert error' }, '无法读取该图片，请选择 JPEG、PNG 或 WebP 照片'));
      }
    },
  });
  const submit = async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const body = {
      visitedAt: `${f.get('visitedAt')}:00+08:00`,
      description: String(f.get('description') ?? '').trim(),
      ...(String(f.get('agencyText') ?? '').trim() ? { agencyText: String(f.get('agencyText')).trim() } : {}),
      ...(f.get('agencyCode') ? { agencyCode: String(f.get('agencyCode')) } : {}),
      ...(String(f.get('codeShown') ?? '').trim() ? { codeShown: String(f.get('codeShown')).trim() } : {}),
      prohibitions: f.getAll('prohibitions').map(String),
      ...(photo ? { photo: { contentType: photo.contentType, dataBase64: photo.dataBase64 } } : {}),
    };
    try {
      const r = await api('/api/v1/enterprise-reports', { method: 'POST', body });
      fill(
        out,
        notice(
          r.authorised
            ? `报告已提交。当时有针对本企业的有效检查码 ${r.validCode}。`
            : r.caseInspection
              ? `报告已提交。该时间${r.caseInspection.agencyName ?? ''}在本企业有已登记的现场个案检查（线索来源：${r.caseInspection.leadKindZh ?? '未载明'}），个案检查无需检查码。`
              : '报告已提交。当时没有针对本企业的有效检查码，已转司法行政部门监督处理。',
          r.authorised || r.caseInspection ? 'ok' : 'info',
        ),
        r.flags.length ? h('ul', { 'data-testid': 'report-flags' }, r.flags.map((x) => h('li', {}, `${x.ruleTitleZh}（${x.article}）`))) : null,
        // Why a ticked prohibition raised nothing (e.g. repeat testing of food or drugs, 第四十条第（七）项).
        r.notesZh?.length ? h('ul', { class: 'muted', 'data-testid': 'report-notes' }, r.notesZh.map((n) => h('li', {}, n))) : null,
      );
      e.target.reset();
      fill(preview);
      photo = undefined;
    } catch (err) {
      fill(out, problemBox(err));
    }
  };
  return h(
    'form',
    { class: 'card', onsubmit: submit, 'data-testid': 'report-form' },
    h('h1', {}, '报告一次检查'),
    h('p', { class: 'muted' }, '依据第四十条：对未出示有效检查码、以观摩督导等名义检查，或有索要财物、刻意要求法定代表人到场等情形，企业可以报告。'),
    h('label', {}, '检查时间', h('input', { class: 'full', type: 'datetime-local', name: 'visitedAt', required: true, max: now, value: now, 'data-testid': 'report-time' })),
    h('label', {}, '对方自称的单位', h('input', { class: 'full', name: 'agencyText', placeholder: '如：区市场监管局', 'data-testid': 'report-agency-text' })),
    h('label', {}, '检查单位（如能确定）', agencySelect),
    h('label', {}, '出示的检查码（如有）', h('input', { class: 'full', name: 'codeShown', value: query.get('code') ?? '', 'data-testid': 'report-code' })),
    h('label', {}, '经过', h('textarea', { name: 'description', rows: 4, required: true, 'data-testid': 'report-description' })),
    h('fieldset', { class: 'checks' }, h('legend', {}, '检查中是否有以下情形'), PROHIBITIONS.map(([v, t]) => h('label', {}, h('input', { type: 'checkbox', name: 'prohibitions', value: v, 'data-testid': `prohibition-${v}` }), t))),
    h('label', {}, '通知书照片（选填）', fileInput),
    preview,
    h('button', { class: 'primary big', type: 'submit', 'data-testid': 'report-submit' }, '提交报告'),
    out,
  );
}

