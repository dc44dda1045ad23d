import { formatE, formatF, formatNumberG } from './lua-number-format';
import { raiseLuaError } from './lua-helpers';
import { latin1, lauxlib, lua, luaBytes, type LuaCFunction, type LuaState } from './lua-runtime';

/**
 * Lua 5.1's string.format: %d %i (the number truncated to a 64-bit integer: 5.3 refuses numbers
 * without an integer representation, fengari's integers are 32-bit), %o %u %x %X (unsigned), %c,
 * %e %E %f %g %G (glibc's exact rounding), %q, %s (a string of 100 bytes or more without a
 * precision is copied whole; shorter ones stop at a NUL, as sprintf does) and %%, with the flags
 * "-+ #0", a width and a precision of at most two digits each.
 */

const FLAGS = '-+ #0';
const INT64_MIN = -(2n ** 63n);

interface Spec {
  flags: string;
  width: number;
  precision: number | null;
}

function toInt64(n: number): bigint {
  if (!Number.isFinite(n) || n >= 2 ** 63 || n < -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(n));
}

/** Applies width and the '-' / '0' flags to a converted item (`sign` and `prefix` stay in front of zeros). */
function pad(spec: Spec, sign: string, prefix: string, body: string, zeroAllowed: boolean): string {
  const len = sign.length + prefix.length + body.length;
  if (len >= spec.width) return sign + prefix + body;
  const fill = spec.width - len;
  if (spec.flags.includes('-')) return sign + prefix + body + ' '.repeat(fill);
  if (zeroAllowed && spec.flags.includes('0')) return sign + prefix + '0'.repeat(fill) + body;
  return ' '.repeat(fill) + sign + prefix + body;
}

function signOf(negative: boolean, spec: Spec): string {
  if (negative) return '-';
  if (spec.flags.includes('+')) return '+';
  if (spec.flags.includes(' ')) return ' ';
  return '';
}

function formatInteger(spec: Spec, value: bigint, conv: string): string {
  const signed = conv === 'd' || conv === 'i';
  let v = value;
  if (!signed) v = BigInt.asUintN(64, v);
  const negative = v < 0n;
  const magnitude = negative ? -v : v;
  let body = conv === 'o' ? magnitude.toString(8) : conv === 'x' ? magnitude.toString(16) : conv === 'X' ? magnitude.toString(16).toUpperCase() : magnitude.toString();
  if (spec.precision !== null) {
    if (spec.precision === 0 && magnitude === 0n) body = '';
    body = body.padStart(spec.precision, '0');
  }
  let prefix = '';
  if (spec.flags.includes('#')) {
    if (conv === 'o' && !body.startsWith('0')) body = '0' + body;
    else if ((conv === 'x' || conv === 'X') && magnitude !== 0n) prefix = conv === 'x' ? '0x' : '0X';
  }
  return pad(spec, signed ? signOf(negative, spec) : '', prefix, body, spec.precision === null);
}

function formatFloat(spec: Spec, n: number, conv: string): string {
  const p = spec.precision ?? 6;
  const upper = conv === 'E' || conv === 'G';
  const alt = spec.flags.includes('#');
  let text: string;
  if (conv === 'e' || conv === 'E') text = formatE(n, p, upper);
  else if (conv === 'f') text = formatF(n, p);
  else text = formatNumberG(n, p, upper, alt);
  if (alt && (conv === 'e' || conv === 'E' || conv === 'f') && p === 0 && Number.isFinite(n)) {
    text = conv === 'f' ? text + '.' : text.replace(/[eE]/, (m) => '.' + m);
  }
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  return pad(spec, signOf(negative, spec), '', body, Number.isFinite(n));
}

function quoted(s: Uint8Array): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === 0x22 || c === 0x5c || c === 0x0a) out += '\\' + String.fromCharCode(c);
    else if (c === 0x0d) out += '\\r';
    else if (c === 0) out += '\\000';
    else out += String.fromCharCode(c);
  }
  return out + '"';
}

export const stringFormat: LuaCFunction = (L: LuaState) => {
  const top = lua.lua_gettop(L);
  const fmt = latin1(lauxlib.luaL_checklstring(L, 1));
  let arg = 1;
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i++];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    if (fmt[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    if (++arg > top) lauxlib.luaL_argerror(L, arg, 'no value');
    let flags = '';
    while (i < fmt.length && FLAGS.includes(fmt[i])) flags += fmt[i++];
    if (flags.length > FLAGS.length) raiseLuaError(L, 'invalid format (repeated flags)');
    let width = '';
    while (width.length < 2 && /[0-9]/.test(fmt[i] ?? '')) width += fmt[i++];
    let precision: string | null = null;
    if (fmt[i] === '.') {
      i++;
      precision = '';
      while (precision.length < 2 && /[0-9]/.test(fmt[i] ?? '')) precision += fmt[i++];
    }
    if (/[0-9]/.test(fmt[i] ?? '')) raiseLuaError(L, 'invalid format (width or precision too long)');
    const spec: Spec = { flags, width: width === '' ? 0 : Number(width), precision: precision === null ? null : Number(precision || '0') };
    const conv = fmt[i++] ?? '';
    switch (conv) {
      case 'c':
        out += pad(spec, '', '', String.fromCharCode(Number(toInt64(lauxlib.luaL_checknumber(L, arg)) & 0xffn)), false);
        break;
      case 'd': case 'i': case 'o': case 'u': case 'x': case 'X':
        out += formatInteger(spec, toInt64(lauxlib.luaL_checknumber(L, arg)), conv);
        break;
      case 'e': case 'E': case 'f': case 'g': case 'G':
        out += formatFloat(spec, lauxlib.luaL_checknumber(L, arg), conv);
        break;
      case 'q':
        out += quoted(lauxlib.luaL_checklstring(L, arg));
        break;
      case 's': {
        const s = lauxlib.luaL_checklstring(L, arg);
        if (precision === null && s.length >= 100) {
          out += latin1(s);
          break;
        }
        const nul = s.indexOf(0);
        let text = latin1(nul < 0 ? s : s.subarray(0, nul));
        if (spec.precision !== null) text = text.slice(0, spec.precision);
        out += pad(spec, '', '', text, false);
        break;
      }
      default:
        raiseLuaError(L, `invalid option '%${conv}' to 'format'`);
    }
  }
  lua.lua_pushstring(L, luaBytes(out));
  return 1;
};
