// First: V8's heap settings, before the rest of the module graph is evaluated (src/heap.ts).
import './heap.js';
import { boot } from './boot.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`配置错误 / configuration error — ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

const config = readConfig();
const { app, database, seeded } = await boot(config);

// SIGTERM (orchestrators) and SIGINT (Ctrl-C): stop accepting, let in-flight requests finish, then close
// the database. A second signal forces the exit.
let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(1);
    closing = true;
    app.log.info({ signal }, 'shutting down: draining in-flight requests');
    app
      .close()
      .then(() => process.exit(0))
      .catch((err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  });
}

await app.listen({ host: config.host, port: config.port });
const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${app.server.address() && typeof app.server.address() === 'object' ? (app.server.address() as { port: number }).port : config.port}`;
const lines = [
  '',
  '武汉市涉企行政检查合规引擎 / Wuhan Order No. 327 inspection compliance engine',
  `  API:        ${base}/api/v1`,
  `  API docs:   ${base}/docs`,
  `  Officers:   ${base}/officer/   (officers and agency heads, 掌上执法)`,
  `  Console:    ${base}/console/   (supervisors, 监督平台)  ·  Portal: ${base}/portal/ (enterprises, 企业端)`,
  `  Health:     ${base}/health  ·  ${base}/ready`,
  `  Database:   ${database.driver === 'pg' ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}/pglite`}${seeded ? ' — demo data loaded' : ''}`,
  config.clockStart ? `  Clock:      started at ${config.clockStart}` : '',
  config.oidc.devProvider && !config.oidc.issuer ? `  Sign-in:    统一身份认证登录 in any app, then pick a demo person (local OpenID Connect provider at ${base}/oidc)` : config.oidc.issuer ? `  Sign-in:    ${config.oidc.issuer}` : '',
  config.auth.devTokens
    ? [
        '  Tokens (development key, in another terminal):',
        '    npm run token -- --role officer --agency 420106-SCJG       (then open the officers\' app)',
        '    npm run token -- --role agency_head --agency 420106-SCJG',
        '    npm run token -- --role supervisor --agency WH-SFJ',
        '    npm run token -- --role enterprise --credit-code <统一社会信用代码>',
        '    npm run token -- --role admin',
        `  then: curl -H "Authorization: Bearer $TOKEN" ${base}/api/v1/me`,
      ].join('\n')
    : '  Tokens: issued by the configured identity provider',
  '',
].filter((l) => l !== '');
console.log(lines.join('\n'));
