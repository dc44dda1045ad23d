import { parseInt64, parseInteger } from 'redix-server';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from 'redix-server/numbers';

/**
 * Integer and float handling of string values, with Redis's strict rules (string2ll: no spaces,
 * no "+", no leading zeros). Numbers stay JS numbers while they are exact (|n| < 2^53); beyond
 * that BigInt keeps the full 64 bits.
 */
export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/** Longest decimal text that is always a safe JS integer (< 10^15 < 2^53). */
const SAFE_DIGITS = 15;

/** A strict int64 from an argument or a stored string: a number when short, else a bigint; null if invalid. */
export function parseInt64Value(text: Buffer | string): number | bigint | null {
  return text.length <= SAFE_DIGITS ? parseInteger(text) : parseInt64(text);
}

/** a + b as int64, or null on overflow (Redis: "increment or decrement would overflow"). */
export function addInt64(a: number | bigint, b: number | bigint): number | bigint | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(a) + BigInt(b);
  if (sum > INT64_MAX || sum < INT64_MIN) return null;
  return sum >= -9007199254740991n && sum <= 9007199254740991n ? Number(sum) : sum;
}

/** True if `s` is an integer Redis would store in the "int" encoding (canonical int64 text). */
export function isInt64Text(s: string): boolean {
  return s.length <= 20 && parseInt64Value(s) !== null;
}

const SHORT_INTEGER = /^[+-]?\d{1,15}$/;

/** Outcome of INCRBYFLOAT's arithmetic: the new text, or which error to reply. */
export type FloatSum = string | 'not-a-float' | 'nan-or-infinity';

/**
 * value + increment as INCRBYFLOAT computes it: both parsed as long doubles, added, formatted
 * "%.17Lf" with trailing zeros trimmed. Integer operands take a fast exact path.
 */
export function addAsLongDouble(value: string, increment: string): FloatSum {
  if (SHORT_INTEGER.test(value) && SHORT_INTEGER.test(increment)) {
    // Both below 10^15: the sum is exact in a double and prints as an integer.
    return String(Number(value) + Number(increment));
  }
  const a = parseLongDouble(value);
  const b = parseLongDouble(increment);
  if (a === null || b === null) return 'not-a-float';
  if (a.infinite || b.infinite) return 'nan-or-infinity';
  const sum = addLongDouble(a, b);
  return sum.infinite ? 'nan-or-infinity' : formatLongDoubleHuman(sum);
}
