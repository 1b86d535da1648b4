import type { CodeFacts } from '../codes/facts.js';
import { parsePublishedKeys, publishedPublicKey, verifyCompactWithPublishedKeys, verifyMessageWithPublishedKeys, verifyWithPublishedKeys } from '../codes/published-keys.js';
import { parseCheckUrl } from '../codes/signed-code.js';
import { offlineInput } from './offline-input.js';

/**
 * Offline check of an inspection code, for anyone who does not want to trust the server's own check
 * page: it needs only the published keys (GET /.well-known/inspection-keys saved to a file) and the
 * code's facts — no server, no database, no private key.
 *
 *   tsx src/cli/verify-code.ts --keys inspection-keys.json --facts facts.json --kid <kid> --signature=<sig>
 *   tsx src/cli/verify-code.ts --keys inspection-keys.json --url='<the URL in the QR code>'
 *
 * The QR's URL carries the signed facts itself — the printed QR the packed v2 message (`#<base32>`), a link
 * sent electronically the v1 message (`#m=`), docs/CODE-FORMAT.md §5 — so with --url nothing else is needed;
 * the facts it prints are those bytes, read after the signature over them verified.
 * The signature is base64url and may begin with '-': pass it as --signature=<sig> so it is never read as a flag.
 *
 * Exit status: 0 valid, 1 forged or altered, 2 the input could not be read (files, arguments).
 */
const USAGE =
  'usage: tsx src/cli/verify-code.ts --keys <keys.json> --facts <facts.json> --kid <kid> --signature=<sig>\n' +
  "       tsx src/cli/verify-code.ts --keys <keys.json> --url='<check URL from the QR code>'";

const { values, read, ...cli } = offlineInput(USAGE, {
  keys: { type: 'string' },
  facts: { type: 'string' },
  kid: { type: 'string' },
  signature: { type: 'string' },
  url: { type: 'string' },
});
// Annotated, so that TypeScript narrows after a call to it.
const fail: (message: string) => never = cli.fail;
const readJson = (file: string, what: string): unknown => {
  try {
    return JSON.parse(read(file, what));
  } catch (e) {
    return fail(`cannot read ${what} from ${file}: ${(e as Error).message}`);
  }
};
const { keys: keysFile, facts: factsFile, url } = values;
let { kid, signature } = values;
if (!keysFile) fail('--keys is required');
if (url === undefined && (!factsFile || !kid || !signature)) fail('give --url, or all of --facts, --kid and --signature');

let keys;
try {
  keys = parsePublishedKeys(readJson(keysFile, 'the published keys'));
} catch (e) {
  fail(`${keysFile}: ${(e as Error).message}`);
}
let facts: Pick<CodeFacts, 'code' | 'validFrom' | 'validTo'>;
let valid: boolean;
const scanned = url !== undefined ? parseCheckUrl(url) : undefined;
if (scanned === null) fail('--url is not a check URL /v/<code>?k=<kid>&s=<signature> in canonical base64url (or base32 with packed facts)');
if (scanned?.packed) {
  // The printed QR (v2): the compact signature covers the code in the path and the packed facts.
  ({ kid, signature } = scanned);
  const signed = verifyCompactWithPublishedKeys(keys, kid, scanned.code, scanned.packed, signature);
  valid = signed !== null;
  facts = { code: scanned.code, ...signed } as CodeFacts;
  if (valid) console.log(JSON.stringify(facts, null, 2));
} else if (scanned) {
  if (!scanned.message) fail('this URL carries no signed message (#m=…), as QR codes printed before it was added; use --facts with the facts from the issuing agency');
  ({ kid, signature } = scanned);
  const signed = verifyMessageWithPublishedKeys(keys, kid, scanned.message, signature);
  // The message must be about the code the URL names, or a genuine message could vouch for another code.
  valid = signed !== null && signed.code === scanned.code;
  facts = signed ?? ({ code: scanned.code } as CodeFacts);
  if (valid) console.log(JSON.stringify(facts, null, 2));
} else {
  const read = readJson(factsFile!, 'the code facts') as CodeFacts;
  valid = verifyWithPublishedKeys(keys, read, kid!, signature!);
  facts = read;
}
kid = kid!;

if (valid) {
  const status = keys.find((k) => k.kid === kid)?.status ?? 'unknown';
  console.log(`有效/valid — ${facts.code}: signed by key ${kid} (${status}); valid ${facts.validFrom} – ${facts.validTo} (validFrom is never before issuance)`);
  process.exit(0);
}
// Say why, when it is knowable without guessing: an unknown key is a different story from a bad signature.
const reason = publishedPublicKey(keys, kid)
  ? `the signature does not match ${url !== undefined ? 'the signed message of this code' : 'these facts'}`
  : `no usable published key "${kid}"`;
console.log(`签名无效/forged — ${reason}`);
process.exit(1);
