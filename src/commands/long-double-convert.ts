import { bitLength, type LongDouble } from './long-double';

/**
 * Conversions between JS numbers and the emulated x87 long double, and glibc's printf("%La") of
 * one: what Redis's RM_SaveLongDouble writes (ld2string with LD_STR_HEX) into module fields.
 */

const view = new DataView(new ArrayBuffer(8));
/** A long double's exponent field: the significand's bit 63 is worth 2^(exponent + 63). */
const HEX_EXPONENT_OFFSET = 60;
/** The exponent of a subnormal long double (its smallest unit is 2^-16445). */
const MIN_EXPONENT = -16445;

/** The exact long double of a finite or infinite number (every double is one); NaN has none. */
export function longDoubleFromNumber(n: number): LongDouble {
  if (Number.isNaN(n)) throw new RangeError('NaN has no long double form here');
  const negative = n < 0 || Object.is(n, -0);
  if (!Number.isFinite(n)) return { negative, significand: 0n, exponent: 0, infinite: true };
  if (n === 0) return { negative, significand: 0n, exponent: 0, infinite: false };
  view.setFloat64(0, n);
  const high = view.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  // value = mantissa × 2^e, with the hidden bit for normal doubles.
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  // Normalized as the emulation keeps it: bit 63 set (a double is never subnormal as a long double).
  const shift = 64 - bitLength(mantissa);
  return { negative, significand: mantissa << BigInt(shift), exponent: e - shift, infinite: false };
}

/** 2^k for -1022 <= k <= 1023, built from its bits (exact). */
function powerOfTwo(k: number): number {
  view.setUint32(0, (k + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/** The nearest number to a long double (ties to even), overflowing to ±Infinity and underflowing to ±0 as C's cast does. */
export function longDoubleToNumber(x: LongDouble): number {
  const sign = x.negative ? -1 : 1;
  if (x.infinite) return sign * Infinity;
  if (x.significand === 0n) return sign * 0;
  const bits = bitLength(x.significand);
  // The unit of the last of 53 bits, no finer than the smallest subnormal's (2^-1074).
  const unit = Math.max(x.exponent + bits - 53, -1074);
  let q = x.significand;
  if (unit > x.exponent) {
    const shift = BigInt(unit - x.exponent);
    const kept = q >> shift;
    const rest = q - (kept << shift);
    const half = 1n << (shift - 1n);
    q = rest > half || (rest === half && (kept & 1n) === 1n) ? kept + 1n : kept;
  } else {
    q <<= BigInt(x.exponent - unit);
  }
  // The top bit beyond 2^1023: too big for a double.
  if (unit > 1023 - 52) return sign * Infinity;
  // q × 2^unit is a double (q < 2^54, unit >= -1074), so each product below is exact, or overflows
  // to Infinity when rounding carried past the largest double. Below 2^-1022 it goes in two steps:
  // powerOfTwo covers normal powers only.
  const value = unit >= -1022 ? Number(q) * powerOfTwo(unit) : Number(q) * powerOfTwo(unit + 52) * powerOfTwo(-52);
  return sign * value;
}

/**
 * printf("%La") of a long double as glibc prints an x87 one: the first hex digit holds the top 4
 * bits of the 64-bit significand (so 1 is "0x8p-3"), the other 15 follow without trailing zeros,
 * then the binary exponent with its sign; zero is "0x0p+0", infinity "inf" (ld2string writes it so).
 */
export function formatLongDoubleHex(x: LongDouble): string {
  const sign = x.negative ? '-' : '';
  if (x.infinite) return `${sign}inf`;
  if (x.significand === 0n) return `${sign}0x0p+0`;
  // As the x87 format holds it: bit 63 set, unless the value is subnormal.
  const shift = Math.max(0, Math.min(64 - bitLength(x.significand), x.exponent - MIN_EXPONENT));
  const digits = (x.significand << BigInt(shift)).toString(16).padStart(16, '0');
  const rest = digits.slice(1).replace(/0+$/, '');
  const exponent = x.exponent - shift + HEX_EXPONENT_OFFSET;
  return `${sign}0x${digits[0]}${rest.length > 0 ? '.' + rest : ''}p${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
}
