import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CodeFacts } from '../codes/facts.js';
import { parsePublishedKeys, publishedPublicKey, verifyWithPublishedKeys } from '../codes/published-keys.js';

/**
 * Offline check of an inspection code, for anyone who does not want to trust the server's own check
 * page: it needs only the published keys (GET /.well-known/inspection-keys saved to a file) and the
 * code's facts — no server, no database, no private key.
 *
 *   tsx src/cli/verify-code.ts --keys inspection-keys.json --facts facts.json --kid <kid> --signature=<sig>
 *
 * The signature is base64url and may begin with '-': pass it as --signature=<sig> so it is never read as a flag.
 *
 * Exit status: 0 valid, 1 forged or altered, 2 the input could not be read (files, arguments).
 */
const USAGE = 'usage: tsx src/cli/verify-code.ts --keys <keys.json> --facts <facts.json> --kid <kid> --signature=<sig>';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(`cannot read ${what} from ${file}: ${(e as Error).message}`);
  }
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      keys: { type: 'string' },
      facts: { type: 'string' },
      kid: { type: 'string' },
      signature: { type: 'string' },
    },
  }));
} catch (e) {
  fail((e as Error).message);
}
const { keys: keysFile, facts: factsFile, kid, signature } = values;
if (!keysFile || !factsFile || !kid || !signature) fail('all of --keys, --facts, --kid and --signature are required');

let keys;
try {
  keys = parsePublishedKeys(readJson(keysFile, 'the published keys'));
} catch (e) {
  fail(`${keysFile}: ${(e as Error).message}`);
}
const facts = readJson(factsFile, 'the code facts') as CodeFacts;

if (verifyWithPublishedKeys(keys, facts, kid, signature)) {
  const status = keys.find((k) => k.kid === kid)?.status ?? 'unknown';
  console.log(`有效/valid — ${facts.code}: signed by key ${kid} (${status}); valid ${facts.validFrom} – ${facts.validTo} (validFrom is never before issuance)`);
  process.exit(0);
}
// Say why, when it is knowable without guessing: an unknown key is a different story from a bad signature.
const reason = publishedPublicKey(keys, kid)
  ? 'the signature does not match these facts'
  : `no usable published key "${kid}"`;
console.log(`签名无效/forged — ${reason}`);
process.exit(1);
