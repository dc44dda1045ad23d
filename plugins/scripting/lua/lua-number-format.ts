/**
 * printf("%.14g"), how Lua 5.1 turns a number into a string (tostring, concatenation, string
 * arguments of library functions), with glibc's spellings of the special values. A NaN prints
 * "-nan" as 0/0 does on x86 (JavaScript cannot see a NaN's sign; 0/0 is the NaN scripts make).
 */
export function formatLua51Number(n: number): string {
  return formatNumberG(n, 14);
}

/** printf("%.17g"): how Redis turns a Lua number into a command argument (no precision lost). */
export function formatArgNumber(n: number): string {
  return formatNumberG(n, 17);
}

/** printf("%.<precision>g"). */
export function formatNumberG(n: number, precision: number): string {
  if (Number.isNaN(n)) return '-nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  if (Number.isInteger(n) && Math.abs(n) < 10 ** precision) return String(n);
  const exponential = n.toExponential(precision - 1);
  const e = exponential.indexOf('e');
  const exp10 = Number(exponential.slice(e + 1));
  if (exp10 < -4 || exp10 >= precision) {
    const mantissa = stripZeros(exponential.slice(0, e));
    return mantissa + 'e' + (exp10 < 0 ? '-' : '+') + String(Math.abs(exp10)).padStart(2, '0');
  }
  return stripZeros(n.toFixed(precision - 1 - exp10));
}

function stripZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
