import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * The offline verifiers' input (verify-code.ts, verify-audit.ts): a bad argument or an unreadable file prints
 * the message and the usage and exits 2, a status no verdict uses (0 valid, 1 forged or tampered).
 */
export function offlineInput<const O extends NonNullable<ParseArgsConfig['options']>>(usage: string, options: O) {
  const fail = (message: string): never => {
    console.error(`${message}\n${usage}`);
    process.exit(2);
  };
  const read = (file: string, what: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      return fail(`cannot read ${what} from ${file}: ${(e as Error).message}`);
    }
  };
  try {
    return { values: parseArgs({ options }).values, fail, read };
  } catch (e) {
    return fail((e as Error).message);
  }
}
