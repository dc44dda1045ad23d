import { compileGlob, type GlobMatcher } from '../keyspace/glob';
import { ERR_INVALID_CURSOR, ERR_NOT_INTEGER, ERR_SYNTAX } from '../protocol/error-replies';
import { isKeyword, parseInteger } from './arguments';
import type { CommandContext } from './command-context';

const ULONG_LIMIT = 1n << 64n;
/** Larger counts change nothing (no collection is that big) and keep the iteration bounds exact. */
const MAX_COUNT = 1_000_000_000;
const NUL = 0;

/** What `[MATCH pattern] [COUNT count] [TYPE type]` asked for. */
export interface ScanOptions {
  /** COUNT, 10 when not given. */
  count: number;
  /** The compiled MATCH pattern; null when absent or "*" (Redis skips matching then). */
  match: GlobMatcher | null;
  /** TYPE's argument (SCAN only), as given; null when absent. */
  type: string | null;
}

/**
 * A SCAN cursor as Redis's parseScanCursorOrReply reads it (strtoul, base 10, on the text up to a
 * NUL byte): optional sign, digits and nothing else; "" is 0; a negative value wraps around 2^64;
 * a leading space or an overflow is invalid. Returns the cursor's canonical decimal text ("0"
 * starts an iteration), or replies `ERR invalid cursor` and returns null.
 */
export function parseScanCursorOrReply(c: CommandContext, arg: Buffer): string | null {
  const cursor = parseScanCursor(arg);
  if (cursor === null) c.reply.error(ERR_INVALID_CURSOR);
  return cursor;
}

/** parseScanCursorOrReply's reading, without the reply: the canonical text or null. */
export function parseScanCursor(arg: Buffer): string | null {
  const nul = arg.indexOf(NUL);
  const text = arg.latin1Slice(0, nul < 0 ? arg.length : nul);
  if (text.length === 0) return '0';
  if (text.length <= 15 && /^[0-9]+$/.test(text)) return String(Number(text));
  const m = /^([+-]?)([0-9]+)$/.exec(text);
  if (m === null) return null;
  const magnitude = BigInt(m[2]);
  if (magnitude >= ULONG_LIMIT) return null;
  return String(m[1] === '-' && magnitude !== 0n ? ULONG_LIMIT - magnitude : magnitude);
}

/**
 * Parses the options of SCAN, SSCAN, HSCAN and ZSCAN from `argv[from]` on, as Redis's
 * scanGenericCommand: each keyword needs its value (else `ERR syntax error`), COUNT must be an
 * integer (`ERR value is not an integer or out of range`) of at least 1 (else syntax error), a
 * later option overrides an earlier one, and TYPE is an option only when `allowType` (SCAN; for
 * the others it is a syntax error). Replies the error and returns null on a bad option.
 */
export function parseScanOptionsOrReply(c: CommandContext, argv: Buffer[], from: number, allowType = false): ScanOptions | null {
  const options: ScanOptions = { count: 10, match: null, type: null };
  for (let i = from; i < argv.length; i += 2) {
    const hasValue = i + 1 < argv.length;
    if (hasValue && isKeyword(argv[i], 'COUNT')) {
      const n = parseInteger(argv[i + 1]);
      if (n === null) {
        c.reply.error(ERR_NOT_INTEGER);
        return null;
      }
      if (n < 1) {
        c.reply.error(ERR_SYNTAX);
        return null;
      }
      options.count = Math.min(n, MAX_COUNT);
    } else if (hasValue && isKeyword(argv[i], 'MATCH')) {
      const pattern = argv[i + 1].latin1Slice(0, argv[i + 1].length);
      options.match = pattern === '*' ? null : compileGlob(pattern);
    } else if (allowType && hasValue && isKeyword(argv[i], 'TYPE')) {
      options.type = argv[i + 1].latin1Slice(0, argv[i + 1].length);
    } else {
      c.reply.error(ERR_SYNTAX);
      return null;
    }
  }
  return options;
}
