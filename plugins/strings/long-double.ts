/**
 * C `long double` arithmetic as Redis's INCRBYFLOAT does it: strtold parsing, one addition, and
 * printf("%.17Lf") with trailing zeros trimmed. On x86-64 a long double is the x87 80-bit format
 * (64-bit mantissa), so results differ from JS doubles in the last digits ("1234.1" + 0 gives
 * "1234.09999999999999998"). Values are kept exact as mantissa × 2^exponent in BigInt and rounded
 * to nearest-even exactly as the FPU would; this is the slow path, used only by INCRBYFLOAT.
 */

/** A finite binary floating-point value: (-1)^negative × mantissa × 2^exponent. */
export interface LongDouble {
  negative: boolean;
  mantissa: bigint;
  exponent: number;
}

interface FloatFormat {
  /** Significant bits. */
  precision: number;
  /** Exponent of the lowest bit a subnormal can have. */
  minLsbExponent: number;
  /** Values must stay below 2^maxExponent. */
  maxExponent: number;
}

/** The platform's `long double`, which is what the redis-server we mirror uses. */
function platformFormat(): FloatFormat {
  if (process.arch === 'x64' || process.arch === 'ia32') {
    return { precision: 64, minLsbExponent: -16445, maxExponent: 16384 }; // x87 extended
  }
  if (process.platform === 'darwin' || process.platform === 'win32') {
    return { precision: 53, minLsbExponent: -1074, maxExponent: 1024 }; // long double == double
  }
  return { precision: 113, minLsbExponent: -16494, maxExponent: 16384 }; // IEEE quad (aarch64 Linux)
}

const FORMAT = platformFormat();
/** Decimal exponents past which a parse certainly overflows or underflows to zero. */
const MAX_DECIMAL_MAGNITUDE = Math.ceil(FORMAT.maxExponent * Math.log10(2)) + 1;
const MIN_DECIMAL_MAGNITUDE = Math.floor(FORMAT.minLsbExponent * Math.log10(2)) - 2;
/** Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are refused. */
const MAX_INPUT_LENGTH = 5 * 1024;

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** The sentinel for a result that does not fit (±inf). */
export const OVERFLOW = null;

/**
 * Rounds the exact value n × 2^e (plus a sticky "something below" bit) to the format, nearest-even.
 * Returns OVERFLOW when the result is infinite.
 */
function round(negative: boolean, n: bigint, e: number, sticky: boolean): LongDouble | typeof OVERFLOW {
  if (n === 0n) return { negative, mantissa: 0n, exponent: 0 };
  const bits = bitLength(n);
  const lsb = Math.max(e + bits - FORMAT.precision, FORMAT.minLsbExponent);
  let mantissa = n;
  let exponent = e;
  if (lsb > e) {
    const shift = BigInt(lsb - e);
    mantissa = n >> shift;
    const rest = n - (mantissa << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (sticky || (mantissa & 1n) === 1n))) mantissa += 1n;
    exponent = lsb;
    if (bitLength(mantissa) > FORMAT.precision) {
      mantissa >>= 1n;
      exponent++;
    }
  }
  if (mantissa !== 0n && exponent + bitLength(mantissa) > FORMAT.maxExponent) return OVERFLOW;
  return { negative, mantissa, exponent };
}

/**
 * Parses text as Redis's string2ld does (strtold, the whole text, no leading space, at most 5 KB):
 * null for invalid text, NaN, an overflow, or an underflow to zero; 'inf' for an infinity
 * (valid input, but any sum with it is refused later).
 */
export function parseLongDouble(text: string): LongDouble | 'inf' | null {
  if (text.length === 0 || text.length >= MAX_INPUT_LENGTH) return null;
  let m = DECIMAL.exec(text);
  if (m !== null) {
    const intDigits = m[2];
    const fracDigits = m[3] ?? '';
    if (intDigits.length + fracDigits.length === 0) return null;
    return decimalToLongDouble(m[1] === '-', intDigits + fracDigits, fracDigits.length, m[4]);
  }
  m = HEX.exec(text);
  if (m !== null) {
    const intDigits = m[2];
    const fracDigits = m[3] ?? '';
    if (intDigits.length + fracDigits.length === 0) return null;
    return hexToLongDouble(m[1] === '-', intDigits + fracDigits, fracDigits.length, m[4]);
  }
  return INFINITY.test(text) ? 'inf' : null;
}

function clampExponent(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  // Exponents this large only matter as "huge": keep them finite for the arithmetic below.
  return Math.max(-1e9, Math.min(1e9, n));
}

function decimalToLongDouble(negative: boolean, digits: string, fractionLength: number, exponentText: string | undefined): LongDouble | null {
  const stripped = digits.replace(/^0+/, '');
  if (stripped === '') return { negative, mantissa: 0n, exponent: 0 };
  const e10 = clampExponent(exponentText) - fractionLength;
  const magnitude = stripped.length + e10;
  // strtold reports ERANGE for an overflow (±HUGE_VALL) or an underflow to zero: Redis refuses both.
  if (magnitude > MAX_DECIMAL_MAGNITUDE) return null;
  if (magnitude < MIN_DECIMAL_MAGNITUDE) return null;
  const d = BigInt(stripped);
  let result: LongDouble | null;
  if (e10 >= 0) {
    result = round(negative, d * 10n ** BigInt(e10), 0, false);
  } else {
    const denominator = 10n ** BigInt(-e10);
    const k = Math.max(0, FORMAT.precision + 2 + bitLength(denominator) - bitLength(d));
    const scaled = d << BigInt(k);
    const q = scaled / denominator;
    result = round(negative, q, -k, q * denominator !== scaled);
  }
  if (result === null || result.mantissa === 0n) return null;
  return result;
}

function hexToLongDouble(negative: boolean, digits: string, fractionLength: number, exponentText: string | undefined): LongDouble | null {
  const n = BigInt('0x' + digits);
  if (n === 0n) return { negative, mantissa: 0n, exponent: 0 };
  const e = clampExponent(exponentText) - 4 * fractionLength;
  const top = e + bitLength(n);
  if (top > FORMAT.maxExponent + 1 || top < FORMAT.minLsbExponent - 1) return null;
  const result = round(negative, n, e, false);
  if (result === null || result.mantissa === 0n) return null;
  return result;
}

/** a + b rounded once, as the FPU adds; OVERFLOW when the sum is infinite. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | typeof OVERFLOW {
  if (a.mantissa === 0n && b.mantissa === 0n) {
    // IEEE: the sum of two zeros is -0 only when both are -0.
    return { negative: a.negative && b.negative, mantissa: 0n, exponent: 0 };
  }
  if (a.mantissa === 0n) return b;
  if (b.mantissa === 0n) return a;
  const e = Math.min(a.exponent, b.exponent);
  const sa = (a.negative ? -a.mantissa : a.mantissa) << BigInt(a.exponent - e);
  const sb = (b.negative ? -b.mantissa : b.mantissa) << BigInt(b.exponent - e);
  const sum = sa + sb;
  if (sum === 0n) return { negative: false, mantissa: 0n, exponent: 0 };
  return round(sum < 0n, sum < 0n ? -sum : sum, e, false);
}

const FRACTION_DIGITS = 17;
const FRACTION_SCALE = 10n ** BigInt(FRACTION_DIGITS);

/**
 * printf("%.17Lf") with the fraction's trailing zeros (and a bare ".") removed, and "-0" written
 * "0": Redis's human-friendly long double format (ld2string LD_STR_HUMAN).
 */
export function formatLongDouble(v: LongDouble): string {
  let text: string;
  if (v.mantissa === 0n) return '0';
  if (v.exponent >= 0) {
    text = (v.mantissa << BigInt(v.exponent)).toString();
  } else {
    const shift = BigInt(-v.exponent);
    const scaled = v.mantissa * FRACTION_SCALE;
    let q = scaled >> shift;
    const rest = scaled - (q << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
    const digits = q.toString().padStart(FRACTION_DIGITS + 1, '0');
    const integer = digits.slice(0, digits.length - FRACTION_DIGITS);
    const fraction = digits.slice(digits.length - FRACTION_DIGITS).replace(/0+$/, '');
    text = fraction === '' ? integer : integer + '.' + fraction;
  }
  if (!v.negative || text === '0') return text;
  return '-' + text;
}
