import { parseArgs } from 'node:util';
import { loadOrCreateDevKey, signDevToken } from '../auth/dev-key.js';
import { principalFromClaims, ROLES } from '../auth/principal.js';
import { loadConfig } from '../config/config.js';

/**
 * Prints a bearer token signed with the local development key (DATA_DIR/dev-jwt-ed25519.pem), which the
 * server accepts only with AUTH_DEV_TOKENS enabled (the default outside production).
 *   npm run token -- --role officer --agency WH-SCJG
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    agency: { type: 'string' },
    district: { type: 'string' },
    'credit-code': { type: 'string' },
    sub: { type: 'string' },
    name: { type: 'string' },
    hours: { type: 'string', default: '12' },
  },
});

const role = values.role ?? '';
const claims = {
  sub: values.sub ?? `${role}:${values.agency ?? values['credit-code'] ?? 'demo'}`,
  role,
  name: values.name,
  agency: values.agency,
  district: values.district,
  creditCode: values['credit-code'],
};
const principal = principalFromClaims(claims);
if (typeof principal === 'string') {
  console.error(`cannot issue a token: ${principal}\nroles: ${ROLES.join(', ')}\nexample: npm run token -- --role officer --agency WH-SCJG`);
  process.exit(2);
}
const hours = Number(values.hours);
if (!Number.isFinite(hours) || hours <= 0) {
  console.error('--hours must be a positive number');
  process.exit(2);
}
const config = loadConfig();
process.stdout.write(`${signDevToken(loadOrCreateDevKey(config.dataDir), principal, Math.round(hours * 3600))}\n`);
