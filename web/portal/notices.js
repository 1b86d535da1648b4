import { fill, fmtTime, h, problemBox } from '/assets/ui.js';

/**
 * 违法行为告知提示 (Art. 37): what off-site inspection data showed, in plain terms — what, when, which
 * rule, how to correct it, whom to contact. The enterprise marks a notice read.
 */
export async function noticesView({ api, rerender }) {
  const rows = await api('/api/v1/enterprise-notices?limit=100');
  return h(
    'div',
    {},
    h('h1', {}, '违法行为告知提示（非现场检查）'),
    rows.length
      ? rows.map((n) => {
          const out = h('div');
          const read = async () => {
            try {
              await api(`/api/v1/enterprise-notices/${n.id}/read`, { method: 'POST' });
              await rerender();
            } catch (err) {
              fill(out, problemBox(err));
            }
          };
          return h(
            'section',
            { class: 'card', 'data-testid': 'notice-card' },
            h('h2', {}, n.title, ' ', n.readAt ? h('span', { class: 'badge' }, '已读') : h('span', { class: 'badge warn' }, '未读')),
            h('p', { class: 'muted' }, `${fmtTime(n.issuedAt)} · ${n.article}`),
            h(
              'dl',
              { class: 'facts' },
              h('dt', {}, '发现情况'), h('dd', {}, `${n.observed}（${fmtTime(n.observedAt)}）`),
              h('dt', {}, '涉嫌违反'), h('dd', {}, n.ruleBasis),
              h('dt', {}, '如何改正'), h('dd', {}, n.howToCorrect),
              h('dt', {}, '改正期限'), h('dd', {}, n.correctBy ?? '—'),
              h('dt', {}, '联系方式'), h('dd', {}, `${n.contact.department} ${n.contact.name ?? ''} ${n.contact.phone}`),
            ),
            n.readAt ? null : h('button', { type: 'button', 'data-testid': 'notice-read', onclick: read }, '标为已读'),
            out,
          );
        })
      : h('p', { class: 'muted' }, '暂无告知提示'),
  );
}
