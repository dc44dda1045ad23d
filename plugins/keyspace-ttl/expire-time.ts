import { isKeyword, type CommandContext } from 'redix-server';
import { cString } from './c-string';

/** EXPIRE's optional conditions, as bits. */
export const EXPIRE_NX = 1;
export const EXPIRE_XX = 2;
export const EXPIRE_GT = 4;
export const EXPIRE_LT = 8;
/** Returned by parseExpireFlagsOrReply after it replied with an error. */
export const INVALID_FLAGS = -1;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
/** The range of seconds that still fits in int64 milliseconds (C division truncates toward zero). */
const MAX_SECONDS = INT64_MAX / 1000n;
const MIN_SECONDS = INT64_MIN / 1000n;

/**
 * Reads NX|XX|GT|LT from argv[3] on. Like Redis, an unknown word is reported first (as a C string,
 * so up to its first NUL byte), then incompatible combinations; repeating a flag is allowed.
 */
export function parseExpireFlagsOrReply(c: CommandContext, argv: Buffer[]): number {
  let flags = 0;
  for (let i = 3; i < argv.length; i++) {
    const arg = argv[i];
    if (isKeyword(arg, 'NX')) flags |= EXPIRE_NX;
    else if (isKeyword(arg, 'XX')) flags |= EXPIRE_XX;
    else if (isKeyword(arg, 'GT')) flags |= EXPIRE_GT;
    else if (isKeyword(arg, 'LT')) flags |= EXPIRE_LT;
    else {
      c.reply.error(`ERR Unsupported option ${cString(arg)}`);
      return INVALID_FLAGS;
    }
  }
  if ((flags & EXPIRE_NX) !== 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) !== 0) {
    c.reply.error('ERR NX and XX, GT or LT options at the same time are not compatible');
    return INVALID_FLAGS;
  }
  if ((flags & EXPIRE_GT) !== 0 && (flags & EXPIRE_LT) !== 0) {
    c.reply.error('ERR GT and LT options at the same time are not compatible');
    return INVALID_FLAGS;
  }
  return flags;
}

/**
 * The absolute expiry in unix ms for `amount` (seconds when `seconds`) after `base` ms, or null when
 * it does not fit in int64 (Redis's "invalid expire time"). Exact: computed in BigInt.
 */
export function absoluteExpire(amount: bigint, seconds: boolean, base: number): bigint | null {
  let when = amount;
  if (seconds) {
    if (when > MAX_SECONDS || when < MIN_SECONDS) return null;
    when *= 1000n;
  }
  const baseMs = BigInt(base);
  if (when > INT64_MAX - baseMs) return null;
  return when + baseMs;
}

/** Whether NX/XX/GT/LT let `when` (absolute ms) replace the key's `current` expiry (-1: no TTL). */
export function expireConditionsAllow(flags: number, when: bigint, current: number): boolean {
  if ((flags & EXPIRE_NX) !== 0 && current !== -1) return false;
  if ((flags & EXPIRE_XX) !== 0 && current === -1) return false;
  // No TTL counts as an infinite one: GT never beats it, LT always does.
  if ((flags & (EXPIRE_GT | EXPIRE_LT)) === 0) return true;
  if (current === -1) return (flags & EXPIRE_GT) === 0;
  // Why: past 2^53 ms the current time is held as the nearest double. When the new time rounds to
  // that same double, take them as equal (setting the same huge time again is neither greater nor
  // less, as in Redis), except at 2^63, which holds int64 max exactly (see storedExpireToBigInt).
  const exact = Number(when) === current && current < 2 ** 63 ? when : storedExpireToBigInt(current);
  return (flags & EXPIRE_GT) !== 0 ? when > exact : when < exact;
}

/**
 * A stored expiry as an exact int64. Times past 2^53 ms are stored as the nearest double; clamping
 * keeps the largest one (int64 max, the usual "forever") exact.
 */
export function storedExpireToBigInt(at: number): bigint {
  const big = BigInt(Math.trunc(at));
  if (big > INT64_MAX) return INT64_MAX;
  if (big < INT64_MIN) return INT64_MIN;
  return big;
}
