import { parseArgs } from 'node:util';
import { isEmpty, seedDemo } from '../../seeds/demo.js';
import { clockFor, openConfiguredDatabase } from '../boot.js';
import { loadConfig } from '../config/config.js';
import { auditMacKeysFor, withAuditMac } from '../audit/mac.js';

/** Loads the demo data. Refuses a database that already holds data unless --force is given. */
const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });
const config = loadConfig();
const database = await openConfiguredDatabase(config);
try {
  await database.migrate();
  if (!(await isEmpty(database.db)) && !values.force) {
    console.error('the database already holds data; not seeding (pass --force to load the demo data anyway)');
    process.exitCode = 1;
  } else {
    console.log(await withAuditMac(auditMacKeysFor(config), () => seedDemo(database.db, clockFor(config).now())));
  }
} finally {
  await database.close();
}
