import { errors, type CommandContext } from 'redix-server';
import { INT64_MAX, parseInt64Value } from './string-numbers';

/**
 * The options SET and GETEX share ([NX|XX] [GET] [EX|PX|EXAT|PXAT n|KEEPTTL|PERSIST]) and the
 * validation of their expire time, with Redis's acceptance rules: a repeated option is fine
 * ("NX NX", "EX 1 EX 2": the last wins), conflicting ones are a syntax error.
 */
export const OPT_NX = 1;
export const OPT_XX = 2;
export const OPT_EX = 4;
export const OPT_PX = 8;
export const OPT_KEEPTTL = 16;
export const OPT_GET = 32;
export const OPT_EXAT = 64;
export const OPT_PXAT = 128;
export const OPT_PERSIST = 256;

const ANY_EXPIRE = OPT_EX | OPT_PX | OPT_EXAT | OPT_PXAT;
const FLAG_SPACE = 512;

/** parseStringOptions's result for a syntax error. */
export const SYNTAX_ERROR = -1;

/** Flags of a parse result. */
export function optionFlags(parsed: number): number {
  return parsed % FLAG_SPACE;
}

/** Index in argv of the expire time of a parse result (0 when none). */
export function expireIndex(parsed: number): number {
  return Math.floor(parsed / FLAG_SPACE);
}

function is2(a: Buffer, c0: number, c1: number): boolean {
  return a.length === 2 && (a[0] | 0x20) === c0 && (a[1] | 0x20) === c1;
}

function is4(a: Buffer, c0: number, c1: number, c2: number, c3: number): boolean {
  return a.length === 4 && (a[0] | 0x20) === c0 && (a[1] | 0x20) === c1 && (a[2] | 0x20) === c2 && (a[3] | 0x20) === c3;
}

function isWord(a: Buffer, lower: string): boolean {
  if (a.length !== lower.length) return false;
  for (let i = 0; i < a.length; i++) if ((a[i] | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/**
 * Parses options from argv[start] on. SET options when `forSet`, GETEX options otherwise. Returns
 * SYNTAX_ERROR, or flags and the expire argument's index packed in one number (no allocation on
 * this hot path): read them with optionFlags / expireIndex.
 */
export function parseStringOptions(argv: Buffer[], start: number, forSet: boolean): number {
  let flags = 0;
  let expireAt = 0;
  for (let j = start; j < argv.length; j++) {
    const a = argv[j];
    const hasNext = j < argv.length - 1;
    if (forSet && is2(a, 0x6e, 0x78) && (flags & OPT_XX) === 0) {
      flags |= OPT_NX;
    } else if (forSet && is2(a, 0x78, 0x78) && (flags & OPT_NX) === 0) {
      flags |= OPT_XX;
    } else if (forSet && isWord(a, 'get')) {
      flags |= OPT_GET;
    } else if (forSet && isWord(a, 'keepttl') && (flags & (ANY_EXPIRE | OPT_PERSIST)) === 0) {
      flags |= OPT_KEEPTTL;
    } else if (!forSet && isWord(a, 'persist') && (flags & (ANY_EXPIRE | OPT_KEEPTTL)) === 0) {
      flags |= OPT_PERSIST;
    } else if (hasNext && is2(a, 0x65, 0x78) && (flags & (OPT_KEEPTTL | OPT_PERSIST | (ANY_EXPIRE & ~OPT_EX))) === 0) {
      flags |= OPT_EX;
      expireAt = ++j;
    } else if (hasNext && is2(a, 0x70, 0x78) && (flags & (OPT_KEEPTTL | OPT_PERSIST | (ANY_EXPIRE & ~OPT_PX))) === 0) {
      flags |= OPT_PX;
      expireAt = ++j;
    } else if (hasNext && is4(a, 0x65, 0x78, 0x61, 0x74) && (flags & (OPT_KEEPTTL | OPT_PERSIST | (ANY_EXPIRE & ~OPT_EXAT))) === 0) {
      flags |= OPT_EXAT;
      expireAt = ++j;
    } else if (hasNext && is4(a, 0x70, 0x78, 0x61, 0x74) && (flags & (OPT_KEEPTTL | OPT_PERSIST | (ANY_EXPIRE & ~OPT_PXAT))) === 0) {
      flags |= OPT_PXAT;
      expireAt = ++j;
    } else {
      return SYNTAX_ERROR;
    }
  }
  return flags + expireAt * FLAG_SPACE;
}

/**
 * The absolute expire time (unix ms) an EX/PX/EXAT/PXAT argument asks for, or null after replying
 * Redis's error: not an integer; zero, negative, or overflowing once converted to absolute ms
 * ("invalid expire time in 'set' command"). A bigint only when past 2^53 (exact for propagation).
 */
export function expireTimeOrReply(c: CommandContext, arg: Buffer, flags: number, command: string): number | bigint | null {
  const n = parseInt64Value(arg);
  if (n === null) {
    c.reply.error(errors.ERR_NOT_INTEGER);
    return null;
  }
  const seconds = (flags & (OPT_EX | OPT_EXAT)) !== 0;
  const relative = (flags & (OPT_EX | OPT_PX)) !== 0;
  if (typeof n === 'number') {
    if (n <= 0) return invalidExpire(c, command);
    const ms = (seconds ? n * 1000 : n) + (relative ? Date.now() : 0);
    if (Number.isSafeInteger(ms)) return ms;
  }
  let ms = BigInt(n);
  if (ms <= 0n || (seconds && ms > INT64_MAX / 1000n)) return invalidExpire(c, command);
  if (seconds) ms *= 1000n;
  if (relative) ms += BigInt(Date.now());
  // Redis adds in signed 64 bits and refuses the wrapped (negative) result.
  if (ms > INT64_MAX) return invalidExpire(c, command);
  return ms;
}

function invalidExpire(c: CommandContext, command: string): null {
  c.reply.error(`ERR invalid expire time in '${command}' command`);
  return null;
}
