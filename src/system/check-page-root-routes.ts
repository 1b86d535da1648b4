import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { html, type SafeHtml } from '../http/html.js';
import { KIND_ZH, windowText } from '../visits/documents.js';
import type { PublicCheck } from '../visits/public-check.js';

const COLOR: Record<PublicCheck['status'], string> = {
  valid: '#1a7f37',
  not_yet_valid: '#9a6700',
  expired: '#9a6700',
  closed: '#57606a',
  revoked: '#cf222e',
  forged: '#cf222e',
  unknown: '#cf222e',
};

/**
 * The one verdict at the top of the page, in the words an enterprise at its gate looks for; the status's
 * explanation follows it. The page's script (web/portal/check-offline.js) may turn it to 签名无效 when the
 * facts the QR carries were altered, and otherwise only adds a line under it — never a second verdict.
 */
const VERDICT_WORD: Record<PublicCheck['status'], string> = {
  valid: '有效',
  not_yet_valid: '未到生效时间',
  expired: '已失效',
  closed: '已结束',
  revoked: '已撤销',
  forged: '签名无效',
  unknown: '查无此码',
};

const why = (statusZh: string) => statusZh.slice(statusZh.indexOf('：') + 1);

function page(c: PublicCheck, keys: unknown[]): SafeHtml {
  const window = c.validFrom && c.validTo ? windowText(new Date(c.validFrom), new Date(c.validTo)) : '';
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>检查码核验 ${c.code}</title>
<link rel="stylesheet" href="/assets/base.css"><link rel="stylesheet" href="/portal/portal.css">
<style>
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f6f8fa;color:#1f2328}
main{max-width:34rem;margin:0 auto;padding:1rem}
.status{border-radius:.75rem;padding:1.25rem;color:#fff;font-size:1.05rem;font-weight:400;line-height:1.5}.verdict-word{font-size:1.5rem;font-weight:700}#offline-check{background:#fff;border-radius:.75rem;padding:.75rem 1rem;margin-top:1rem}
dl{background:#fff;border-radius:.75rem;padding:1rem;margin-top:1rem}dt{color:#57606a;font-size:.85rem;margin-top:.6rem}dd{margin:0}
/* A box's padding is its top space: its first line adds no margin of its own. */
dl>dt:first-child,#offline-check>:first-child,#enterprise-check>:first-child{margin-top:0}#enterprise-check>:last-child{margin-bottom:0}
footer{color:#57606a;font-size:.8rem;margin-top:1rem;line-height:1.5}
#enterprise-check{background:#fff;border-radius:.75rem;padding:1rem;margin-top:1rem}
</style></head>
<body><main>
<h1 style="font-size:1.1rem">武汉市行政检查码核验</h1>
<div class="status" data-testid="verdict" data-status="${c.status}" data-verdict="${c.status}" role="status" style="background:${COLOR[c.status]}"><span class="verdict-word">${VERDICT_WORD[c.status]}</span>：<span class="verdict-why">${why(c.statusZh)}</span></div>
${
  c.agencies
    ? html`<dl>
<dt>检查码</dt><dd data-field="code">${c.code}</dd>
<dt>检查单位</dt><dd data-field="agencies">${c.agencies.map((a) => a.name).join('、')}</dd>
<dt>被检查企业</dt><dd data-field="enterprise">${c.enterprise?.name ?? ''}（${c.enterprise?.creditCodeMasked ?? ''}）</dd>
<dt>检查类型</dt><dd>${KIND_ZH[c.kind ?? ''] ?? c.kind}</dd>
<dt>检查事项</dt><dd data-field="matters">${c.matters!.map((m) => html`<div>${m.name}<br><small>${m.legalBasis}</small></div>`)}</dd>
<dt>检查码有效时间</dt><dd data-field="window">${window}</dd>
${c.validityNote ? html`<dd data-field="validity-note"><small>${c.validityNote}</small></dd>` : ''}
<dt>检查人员（${c.inspectorCount} 人）</dt><dd>${c.inspectors!.map((p) => html`<div>${p.name} 执法证 ${p.certificateNo}</div>`)}</dd>
${c.teamExceptionBasis ? html`<dt>少于两人的法律依据</dt><dd data-field="team-exception">${c.teamExceptionBasis}</dd>` : ''}
${c.revokedCategoryZh ? html`<dt>撤销类别</dt><dd data-field="revoked-category">${c.revokedCategoryZh}</dd>` : ''}
</dl>`
    : ''
}
<section id="offline-check" data-keys="${JSON.stringify(keys)}" data-signature-checked="${String(c.signatureChecked)}" hidden></section>
<section id="enterprise-check" data-code="${c.code}" hidden></section>
<footer>${c.signatureChecked ? (c.agencies ? '已核对二维码签名。' : '已核对二维码签名；检查时间开始前不公开检查详情。') : '未携带签名，仅显示检查码是否存在及其状态；扫描二维码可查看检查详情。'}依据《武汉市规范涉企行政检查办法》第十七条、第十八条：现场检查须出示检查码并扫码，检查人员不得少于两人。如检查码无效、人员不符或有索要财物、刻意要求法定代表人到场等情形，企业可依法举报（第四十条）。</footer>
</main>
<script type="module" src="/portal/check-page.js"></script>
<script type="module" src="/portal/check-offline.js"></script>
</body></html>`;
}

const CodeParam = Type.Object({ code: Type.String({ minLength: 4, maxLength: 40, pattern: '^[A-Za-z0-9-]+$' }) });
const Presented = Type.Object({
  k: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
  s: Type.Optional(Type.String({ maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' })),
});

/** GET /v/{code}: the page the QR opens on an enterprise's phone (zh-CN, no login). */
export const checkPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v/:code',
    // unknownQuery 'ignore': a QR link shared through a messaging app comes back with the app's own parameters.
    { config: { access: 'public', unknownQuery: 'ignore' }, schema: { tags: ['codes'], summary: '检查码公开核验页 / public check page (HTML)', security: [], params: CodeParam, querystring: Presented, produces: ['text/html'] } },
    async (req, reply) => {
      const c = await app.services.codeChecks.check(req.params.code.toUpperCase(), app.services.clock.now(), { kid: req.query.k, signature: req.query.s });
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(c, app.services.keyring.publicKeys()).value);
    },
  );
};

export default checkPageRoutes;
