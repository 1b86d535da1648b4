// First, as in src/server.ts: V8's heap settings, before the rest of the module graph is evaluated.
import '../../src/heap.js';
import { createWriteStream } from 'node:fs';
import { buildApp, loggerOptions } from '../../src/app.js';
import { generateDevKey } from '../../src/auth/dev-key.js';
import { loadKeyring } from '../../src/codes/keyring.js';
import { openDatabase } from '../../src/db/client.js';
import { benchClock, benchConfig } from './bench-config.js';

/**
 * The API in a process of its own for the memory figure (bench/run.ts): the bench database and code keys come
 * from the environment (BENCH_DB_URL, BENCH_KEYS_DIR), logs go to /dev/null at info level as in the bench;
 * it prints its port and serves until killed.
 */
const config = benchConfig('info');
const database = await openDatabase({ url: process.env.BENCH_DB_URL! });
const keyring = loadKeyring({ keysDir: process.env.BENCH_KEYS_DIR!, dataDir: '/tmp', production: false });
const app = await buildApp(config, { database, clock: benchClock, devKey: generateDevKey(), keyring, logger: loggerOptions(config, createWriteStream('/dev/null')) });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
