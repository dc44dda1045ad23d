/**
 * C's printf conversions of doubles (%e, %f, %g with a precision), exactly as glibc prints them:
 * from the double's exact decimal value, rounded half to even on exact ties (JavaScript's
 * toExponential/toFixed round ties up, so 123456789012345 would print 1.2345678901235e+14 where
 * Lua 5.1 prints 1.2345678901234e+14). Infinities are "inf", NaN "-nan" as 0/0 gives on x86
 * (JavaScript cannot see a NaN's sign; 0/0 is the NaN scripts make).
 */

const view = new DataView(new ArrayBuffer(8));

/** The exact decimal digits of a finite x > 0, and where the point goes: x = 0.DIGITS × 10^point. */
function exactDigits(x: number): { digits: string; point: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exponent = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let binary: number;
  if (exponent === 0) {
    binary = -1074;
  } else {
    mantissa |= 1n << 52n;
    binary = exponent - 1075;
  }
  if (binary >= 0) {
    const digits = (mantissa << BigInt(binary)).toString();
    return { digits, point: digits.length };
  }
  const digits = (mantissa * 5n ** BigInt(-binary)).toString();
  return { digits, point: digits.length + binary };
}

/** `digits` rounded to `keep` digits (half to even); `carry` when it became 10^keep. */
function roundDigits(digits: string, keep: number): { digits: string; carry: boolean } {
  if (keep < 0) return { digits: '', carry: false };
  if (digits.length <= keep) return { digits: digits.padEnd(keep, '0'), carry: false };
  const first = digits.charCodeAt(keep) - 48;
  let up = first > 5;
  if (first === 5) {
    let rest = false;
    for (let i = keep + 1; i < digits.length; i++) {
      if (digits.charCodeAt(i) !== 48) {
        rest = true;
        break;
      }
    }
    up = rest || (keep > 0 && (digits.charCodeAt(keep - 1) - 48) % 2 === 1);
  }
  let kept = digits.slice(0, keep);
  if (!up) return { digits: kept, carry: false };
  const chars = kept.split('');
  let i = chars.length - 1;
  while (i >= 0 && chars[i] === '9') chars[i--] = '0';
  if (i < 0) return { digits: '1' + chars.join(''), carry: true };
  chars[i] = String.fromCharCode(chars[i].charCodeAt(0) + 1);
  kept = chars.join('');
  return { digits: kept, carry: false };
}

function special(x: number): string | null {
  if (Number.isNaN(x)) return '-nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

/** %.<p>e of |x| (no sign), with its decimal exponent. */
function expBody(x: number, p: number): { mantissa: string; exp: number } {
  if (x === 0) return { mantissa: p > 0 ? '0.' + '0'.repeat(p) : '0', exp: 0 };
  const { digits, point } = exactDigits(x);
  const r = roundDigits(digits, p + 1);
  let d = r.digits;
  let exp = point - 1;
  if (r.carry) {
    d = d.slice(0, p + 1);
    exp++;
  }
  return { mantissa: p > 0 ? d[0] + '.' + d.slice(1) : d[0], exp };
}

function expText(mantissa: string, exp: number, upper: boolean): string {
  const e = (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  return mantissa + (upper ? 'E' : 'e') + e;
}

/** %.<p>f of |x| (no sign). */
function fixedBody(x: number, p: number): string {
  if (x === 0) return p > 0 ? '0.' + '0'.repeat(p) : '0';
  let { digits, point } = exactDigits(x);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  const r = roundDigits(digits, point + p);
  let d = r.digits;
  if (r.carry) point++;
  if (d.length < point + p) d = d.padEnd(point + p, '0');
  const intPart = point === 0 ? '0' : d.slice(0, point);
  return p > 0 ? intPart + '.' + d.slice(point, point + p) : intPart;
}

/** printf("%.<p>e"), ("%.<p>f"), ("%.<p>g") of a double; `alt` is the '#' flag. */
export function formatE(x: number, p: number, upper = false): string {
  const s = special(x);
  if (s !== null) return upper ? s.toUpperCase() : s;
  const { mantissa, exp } = expBody(Math.abs(x), p);
  return (x < 0 || Object.is(x, -0) ? '-' : '') + expText(mantissa, exp, upper);
}

export function formatF(x: number, p: number): string {
  const s = special(x);
  if (s !== null) return s;
  return (x < 0 || Object.is(x, -0) ? '-' : '') + fixedBody(Math.abs(x), p);
}

export function formatNumberG(x: number, precision: number, upper = false, alt = false): string {
  const s = special(x);
  if (s !== null) return upper ? s.toUpperCase() : s;
  const P = precision === 0 ? 1 : precision;
  // The common case, exact without rounding: an integer with fewer digits than the precision.
  if (!alt && Number.isInteger(x) && Math.abs(x) < 10 ** P && !Object.is(x, -0)) return String(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const a = Math.abs(x);
  const { exp } = expBody(a, P - 1);
  let body: string;
  if (P > exp && exp >= -4) {
    body = fixedBody(a, P - 1 - exp);
  } else {
    const e = expBody(a, P - 1);
    body = expText(alt ? e.mantissa : stripZeros(e.mantissa), e.exp, upper);
    return sign + body;
  }
  return sign + (alt ? body : stripZeros(body));
}

function stripZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/** printf("%.14g"): how Lua 5.1 turns a number into a string (tostring, concatenation, library string arguments). */
export function formatLua51Number(n: number): string {
  return formatNumberG(n, 14);
}

/** printf("%.17g"): how Redis turns a Lua number into a command argument (no precision lost). */
export function formatArgNumber(n: number): string {
  return formatNumberG(n, 17);
}
