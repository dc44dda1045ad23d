import { formatNumberG } from './lua-number-format';
import { raiseLuaError, setFunctions } from './lua-helpers';
import { lauxlib, lua, latin1, luaBytes, type LuaState, type LuaString } from './lua-runtime';

/**
 * lua-cjson 2.1.0 as Redis ships it: `cjson.encode`/`decode` and its configuration functions,
 * with its defaults (14 significant digits, depth limits of 1000, NaN/Inf refused on encode and
 * accepted on decode, sparse arrays refused past the ratio 2 beyond index 10) and its error texts.
 * JSON null is `cjson.null`, a light userdata. Object members come out in the table's iteration
 * order, which is not Lua 5.1's hash order.
 */

/** The light userdata `cjson.null` (a NULL pointer in C). */
export const CJSON_NULL = Object.freeze({ cjsonNull: true });

interface CjsonConfig {
  sparseConvert: boolean;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  /** 0 refuse, 1 allow, 2 encode as null. */
  encodeInvalidNumbers: number;
  decodeInvalidNumbers: boolean;
  precision: number;
  keepBuffer: boolean;
}

function defaults(): CjsonConfig {
  return {
    sparseConvert: false, sparseRatio: 2, sparseSafe: 10, encodeMaxDepth: 1000, decodeMaxDepth: 1000,
    encodeInvalidNumbers: 0, decodeInvalidNumbers: true, precision: 14, keepBuffer: true,
  };
}

const ESCAPES: (string | null)[] = [];
for (let i = 0; i < 256; i++) {
  let e: string | null = null;
  if (i < 32) e = '\\u' + i.toString(16).padStart(4, '0');
  ESCAPES.push(e);
}
ESCAPES[8] = '\\b';
ESCAPES[9] = '\\t';
ESCAPES[10] = '\\n';
ESCAPES[12] = '\\f';
ESCAPES[13] = '\\r';
ESCAPES[34] = '\\"';
ESCAPES[47] = '\\/';
ESCAPES[92] = '\\\\';
ESCAPES[127] = '\\u007f';

const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

function typeName(L: LuaState, idx: number): string {
  const t = lua.lua_type(L, idx);
  return t < 0 ? 'no value' : TYPE_NAMES[t];
}

// ---- encoding ---------------------------------------------------------------------------------

class Encoder {
  out = '';
  constructor(private readonly L: LuaState, private readonly cfg: CjsonConfig) {}

  fail(idx: number, reason: string): never {
    return raiseLuaError(this.L, `Cannot serialise ${typeName(this.L, idx)}: ${reason}`);
  }

  value(depth: number): void {
    const L = this.L;
    switch (lua.lua_type(L, -1)) {
      case lua.LUA_TSTRING:
        this.string(lua.lua_tolstring(L, -1)!);
        return;
      case lua.LUA_TNUMBER:
        this.number(-1);
        return;
      case lua.LUA_TBOOLEAN:
        this.out += lua.lua_toboolean(L, -1) ? 'true' : 'false';
        return;
      case lua.LUA_TTABLE: {
        depth++;
        if (depth > this.cfg.encodeMaxDepth || !lua.lua_checkstack(L, 3)) raiseLuaError(L, `Cannot serialise, excessive nesting (${depth})`);
        const length = this.arrayLength();
        if (length > 0) this.array(depth, length);
        else this.object(depth);
        return;
      }
      case lua.LUA_TNIL:
        this.out += 'null';
        return;
      case lua.LUA_TLIGHTUSERDATA:
        if (lua.lua_touserdata(L, -1) === CJSON_NULL) {
          this.out += 'null';
          return;
        }
        this.fail(-1, 'type not supported');
        return;
      default:
        this.fail(-1, 'type not supported');
    }
  }

  string(s: LuaString): void {
    let out = '"';
    let from = 0;
    for (let i = 0; i < s.length; i++) {
      const escaped = ESCAPES[s[i]];
      if (escaped === null) continue;
      if (i > from) out += latin1(s.subarray(from, i));
      out += escaped;
      from = i + 1;
    }
    if (from < s.length) out += latin1(s.subarray(from));
    this.out += out + '"';
  }

  number(idx: number): void {
    const n = lua.lua_tonumber(this.L, idx);
    if (!Number.isFinite(n)) {
      if (this.cfg.encodeInvalidNumbers === 0) this.fail(idx, 'must not be NaN or Inf');
      if (this.cfg.encodeInvalidNumbers === 2) {
        this.out += 'null';
        return;
      }
      if (Number.isNaN(n)) {
        this.out += 'nan';
        return;
      }
    }
    this.out += formatNumberG(n, this.cfg.precision);
  }

  /** lua_array_length: the array's size, or -1 when the table is an object (or too sparse). */
  arrayLength(): number {
    const L = this.L;
    let max = 0;
    let items = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      if (lua.lua_type(L, -2) === lua.LUA_TNUMBER) {
        const k = lua.lua_tonumber(L, -2);
        if (k !== 0 && Math.floor(k) === k && k >= 1) {
          if (k > max) max = k;
          items++;
          lua.lua_pop(L, 1);
          continue;
        }
      }
      lua.lua_pop(L, 2);
      return -1;
    }
    const cfg = this.cfg;
    if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
      if (!cfg.sparseConvert) this.fail(-1, 'excessively sparse array');
      return -1;
    }
    return max;
  }

  array(depth: number, length: number): void {
    const L = this.L;
    this.out += '[';
    for (let i = 1; i <= length; i++) {
      if (i > 1) this.out += ',';
      lua.lua_rawgeti(L, -1, i);
      this.value(depth);
      lua.lua_pop(L, 1);
    }
    this.out += ']';
  }

  object(depth: number): void {
    const L = this.L;
    this.out += '{';
    let comma = false;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      if (comma) this.out += ',';
      else comma = true;
      const keyType = lua.lua_type(L, -2);
      if (keyType === lua.LUA_TNUMBER) {
        this.out += '"';
        this.number(-2);
        this.out += '":';
      } else if (keyType === lua.LUA_TSTRING) {
        this.string(lua.lua_tolstring(L, -2)!);
        this.out += ':';
      } else {
        this.fail(-2, 'table key must be a number or string');
      }
      this.value(depth);
      lua.lua_pop(L, 1);
    }
    this.out += '}';
  }
}

// ---- decoding ---------------------------------------------------------------------------------

const enum Tok { ObjBegin, ObjEnd, ArrBegin, ArrEnd, String, Number, Boolean, Null, Colon, Comma, End, Error }
const TOKEN_NAMES = ['T_OBJ_BEGIN', 'T_OBJ_END', 'T_ARR_BEGIN', 'T_ARR_END', 'T_STRING', 'T_NUMBER', 'T_BOOLEAN', 'T_NULL', 'T_COLON', 'T_COMMA', 'T_END', 'T_ERROR'];

interface Token {
  type: Tok;
  index: number;
  str: Uint8Array | null;
  num: number;
  bool: boolean;
  error: string;
}

/** strtod's accepted prefix: decimal or hex numbers, inf/infinity, nan. */
const STRTOD = /^[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])/;

function parseStrtod(text: string): number {
  let sign = 1;
  let t = text;
  if (t[0] === '+' || t[0] === '-') {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  const lower = t.toLowerCase();
  if (lower.startsWith('inf')) return sign * Infinity;
  if (lower.startsWith('nan')) return NaN;
  if (lower.startsWith('0x')) {
    const m = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?[0-9]+))?$/.exec(lower)!;
    let value = parseInt(m[1] === '' ? '0' : m[1], 16);
    const frac = m[2] ?? '';
    for (let i = 0; i < frac.length; i++) value += parseInt(frac[i], 16) / 16 ** (i + 1);
    if (m[3] !== undefined) value *= 2 ** Number(m[3]);
    return sign * value;
  }
  return sign * Number(t);
}

class Decoder {
  private pos = 0;
  private depth = 0;
  constructor(private readonly L: LuaState, private readonly cfg: CjsonConfig, private readonly data: Uint8Array) {}

  private at(i: number): number {
    return i < this.data.length ? this.data[i] : 0;
  }

  private startsWith(word: string): boolean {
    for (let i = 0; i < word.length; i++) if (this.at(this.pos + i) !== word.charCodeAt(i)) return false;
    return true;
  }

  private isInvalidNumber(): boolean {
    let p = this.pos;
    const c = this.at(p);
    if (c === 43 /* + */) return true;
    if (c === 45 /* - */) p++;
    const d = this.at(p);
    if (d === 48 /* 0 */) {
      const c2 = this.at(p + 1);
      return (c2 | 0x20) === 120 || (c2 >= 48 && c2 <= 57);
    }
    if (d <= 57) return false;
    const word = String.fromCharCode(this.at(p), this.at(p + 1), this.at(p + 2)).toLowerCase();
    return word === 'inf' || word === 'nan';
  }

  next(token: Token): void {
    let c = this.at(this.pos);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = this.at(++this.pos);
    token.index = this.pos;
    switch (c) {
      case 123: token.type = Tok.ObjBegin; this.pos++; return;
      case 125: token.type = Tok.ObjEnd; this.pos++; return;
      case 91: token.type = Tok.ArrBegin; this.pos++; return;
      case 93: token.type = Tok.ArrEnd; this.pos++; return;
      case 44: token.type = Tok.Comma; this.pos++; return;
      case 58: token.type = Tok.Colon; this.pos++; return;
      case 0: token.type = Tok.End; return;
      case 34: this.string(token); return;
      default: break;
    }
    if (c === 45 || (c >= 48 && c <= 57) || c === 43) {
      if (c === 43 || c === 45 || (c >= 48 && c <= 57)) {
        if (!this.cfg.decodeInvalidNumbers && this.isInvalidNumber()) return this.error(token, 'invalid number');
        return this.number(token);
      }
    }
    if (c === 116 /* t */ && this.startsWith('true')) {
      token.type = Tok.Boolean;
      token.bool = true;
      this.pos += 4;
      return;
    }
    if (c === 102 /* f */ && this.startsWith('false')) {
      token.type = Tok.Boolean;
      token.bool = false;
      this.pos += 5;
      return;
    }
    if (c === 110 /* n */ && this.startsWith('null')) {
      token.type = Tok.Null;
      this.pos += 4;
      return;
    }
    if ((c === 105 || c === 73 || c === 110 || c === 78) && this.cfg.decodeInvalidNumbers && this.isInvalidNumber()) {
      return this.number(token);
    }
    this.error(token, 'invalid token');
  }

  private error(token: Token, what: string): void {
    token.type = Tok.Error;
    token.index = this.pos;
    token.error = what;
  }

  private number(token: Token): void {
    let end = this.pos;
    while (end < this.data.length && end - this.pos < 400 && this.data[end] !== 0) end++;
    const text = latin1(this.data.subarray(this.pos, end));
    const m = STRTOD.exec(text);
    if (m === null) return this.error(token, 'invalid number');
    token.type = Tok.Number;
    token.num = parseStrtod(m[0]);
    this.pos += m[0].length;
  }

  private string(token: Token): void {
    const data = this.data;
    let p = this.pos + 1;
    const out: number[] = [];
    for (;;) {
      const ch = this.at(p);
      if (ch === 34) break;
      if (ch === 0) {
        this.pos = p;
        return this.error(token, 'unexpected end of string');
      }
      if (ch === 92) {
        const e = this.at(p + 1);
        let mapped = -1;
        switch (e) {
          case 34: mapped = 34; break;
          case 92: mapped = 92; break;
          case 47: mapped = 47; break;
          case 98: mapped = 8; break;
          case 116: mapped = 9; break;
          case 110: mapped = 10; break;
          case 102: mapped = 12; break;
          case 114: mapped = 13; break;
          case 117: {
            const used = this.unicodeEscape(p, out);
            if (used < 0) {
              this.pos = p;
              return this.error(token, 'invalid unicode escape code');
            }
            p += used;
            continue;
          }
          default:
            this.pos = p;
            return this.error(token, 'invalid escape code');
        }
        out.push(mapped);
        p += 2;
        continue;
      }
      out.push(ch);
      p++;
    }
    this.pos = p + 1;
    token.type = Tok.String;
    token.str = Uint8Array.from(out);
    void data;
  }

  private hex4(at: number): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.at(at + i) | 0x20;
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else return -1;
      v = (v << 4) | d;
    }
    return v;
  }

  /** \uXXXX (and surrogate pairs) as UTF-8; returns the bytes consumed or -1. */
  private unicodeEscape(p: number, out: number[]): number {
    let cp = this.hex4(p + 2);
    if (cp < 0) return -1;
    let used = 6;
    if ((cp & 0xf800) === 0xd800) {
      if (cp & 0x400) return -1;
      if (this.at(p + 6) !== 92 || this.at(p + 7) !== 117) return -1;
      const low = this.hex4(p + 8);
      if (low < 0 || (low & 0xfc00) !== 0xdc00) return -1;
      cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
      used = 12;
    }
    if (cp <= 0x7f) out.push(cp);
    else if (cp <= 0x7ff) out.push((cp >> 6) | 0xc0, (cp & 0x3f) | 0x80);
    else if (cp <= 0xffff) out.push((cp >> 12) | 0xe0, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
    else out.push((cp >> 18) | 0xf0, ((cp >> 12) & 0x3f) | 0x80, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
    return used;
  }

  throwParseError(expected: string, token: Token): never {
    const found = token.type === Tok.Error ? token.error : TOKEN_NAMES[token.type];
    return raiseLuaError(this.L, `Expected ${expected} but found ${found} at character ${token.index + 1}`);
  }

  private descend(): void {
    this.depth++;
    if (this.depth <= this.cfg.decodeMaxDepth && lua.lua_checkstack(this.L, 3)) return;
    raiseLuaError(this.L, `Found too many nested data structures (${this.depth}) at character ${this.pos}`);
  }

  value(token: Token): void {
    const L = this.L;
    switch (token.type) {
      case Tok.String:
        lua.lua_pushstring(L, token.str!);
        return;
      case Tok.Number:
        lua.lua_pushnumber(L, token.num);
        return;
      case Tok.Boolean:
        lua.lua_pushboolean(L, token.bool);
        return;
      case Tok.ObjBegin:
        this.object();
        return;
      case Tok.ArrBegin:
        this.array();
        return;
      case Tok.Null:
        lua.lua_pushlightuserdata(L, CJSON_NULL);
        return;
      default:
        this.throwParseError('value', token);
    }
  }

  private object(): void {
    const L = this.L;
    this.descend();
    lua.lua_newtable(L);
    const token = newToken();
    this.next(token);
    if (token.type === Tok.ObjEnd) {
      this.depth--;
      return;
    }
    for (;;) {
      if (token.type !== Tok.String) this.throwParseError('object key string', token);
      lua.lua_pushstring(L, token.str!);
      this.next(token);
      if (kind(token) !== Tok.Colon) this.throwParseError('colon', token);
      this.next(token);
      this.value(token);
      lua.lua_rawset(L, -3);
      this.next(token);
      if (kind(token) === Tok.ObjEnd) {
        this.depth--;
        return;
      }
      if (kind(token) !== Tok.Comma) this.throwParseError('comma or object end', token);
      this.next(token);
    }
  }

  private array(): void {
    const L = this.L;
    this.descend();
    lua.lua_newtable(L);
    const token = newToken();
    this.next(token);
    if (token.type === Tok.ArrEnd) {
      this.depth--;
      return;
    }
    for (let i = 1; ; i++) {
      this.value(token);
      lua.lua_rawseti(L, -2, i);
      this.next(token);
      if (kind(token) === Tok.ArrEnd) {
        this.depth--;
        return;
      }
      if (kind(token) !== Tok.Comma) this.throwParseError('comma or array end', token);
      this.next(token);
    }
  }
}

/** The token's type, read afresh (the parser changes the token in place). */
function kind(token: Token): Tok {
  return token.type;
}

function newToken(): Token {
  return { type: Tok.End, index: 0, str: null, num: 0, bool: false, error: '' };
}

// ---- the module -------------------------------------------------------------------------------

function argInit(L: LuaState, args: number): void {
  if (lua.lua_gettop(L) > args) lauxlib.luaL_argerror(L, args + 1, 'found too many arguments');
  while (lua.lua_gettop(L) < args) lua.lua_pushnil(L);
}

function integerOption(L: LuaState, idx: number, get: () => number, set: (v: number) => void, min: number, max: number): number {
  if (!lua.lua_isnil(L, idx)) {
    const value = lauxlib.luaL_checkinteger(L, idx);
    if (value < min || value > max) lauxlib.luaL_argerror(L, 1, `expected integer between ${min} and ${max}`);
    set(value);
  }
  lua.lua_pushnumber(L, get());
  return 1;
}

function booleanOption(L: LuaState, idx: number, get: () => number, set: (v: number) => void, options: readonly string[]): number {
  if (!lua.lua_isnil(L, idx)) {
    if (lua.lua_type(L, idx) === lua.LUA_TBOOLEAN) set(lua.lua_toboolean(L, idx) ? 1 : 0);
    else {
      const name = latin1(lauxlib.luaL_checklstring(L, idx));
      const i = options.indexOf(name);
      if (i < 0) lauxlib.luaL_argerror(L, idx, `invalid option '${name}'`);
      set(i);
    }
  }
  const v = get();
  if (v === 0 || v === 1) lua.lua_pushboolean(L, v === 1);
  else lua.lua_pushstring(L, luaBytes(options[v]));
  return 1;
}

/** Pushes a new `cjson` table (each has its own configuration, as cjson.new() gives). */
export function openCjson(L: LuaState): void {
  const cfg = defaults();
  lua.lua_newtable(L);
  setFunctions(L, [
    ['encode', (S) => {
      if (lua.lua_gettop(S) !== 1) lauxlib.luaL_argerror(S, 1, 'expected 1 argument');
      const encoder = new Encoder(S, cfg);
      encoder.value(0);
      lua.lua_pushstring(S, luaBytes(encoder.out));
      return 1;
    }],
    ['decode', (S) => {
      if (lua.lua_gettop(S) !== 1) lauxlib.luaL_argerror(S, 1, 'expected 1 argument');
      const data = lauxlib.luaL_checklstring(S, 1);
      if (data.length >= 2 && (data[0] === 0 || data[1] === 0)) raiseLuaError(S, 'JSON parser does not support UTF-16 or UTF-32');
      const decoder = new Decoder(S, cfg, data);
      const token = newToken();
      decoder.next(token);
      decoder.value(token);
      decoder.next(token);
      if (kind(token) !== Tok.End) decoder.throwParseError('the end', token);
      return 1;
    }],
    ['encode_sparse_array', (S) => {
      argInit(S, 3);
      booleanOption(S, 1, () => (cfg.sparseConvert ? 1 : 0), (v) => { cfg.sparseConvert = v !== 0; }, ['off', 'on']);
      integerOption(S, 2, () => cfg.sparseRatio, (v) => { cfg.sparseRatio = v; }, 0, 2147483647);
      integerOption(S, 3, () => cfg.sparseSafe, (v) => { cfg.sparseSafe = v; }, 0, 2147483647);
      return 3;
    }],
    ['encode_max_depth', (S) => { argInit(S, 1); return integerOption(S, 1, () => cfg.encodeMaxDepth, (v) => { cfg.encodeMaxDepth = v; }, 1, 2147483647); }],
    ['decode_max_depth', (S) => { argInit(S, 1); return integerOption(S, 1, () => cfg.decodeMaxDepth, (v) => { cfg.decodeMaxDepth = v; }, 1, 2147483647); }],
    ['encode_number_precision', (S) => { argInit(S, 1); return integerOption(S, 1, () => cfg.precision, (v) => { cfg.precision = v; }, 1, 14); }],
    ['encode_keep_buffer', (S) => { argInit(S, 1); return booleanOption(S, 1, () => (cfg.keepBuffer ? 1 : 0), (v) => { cfg.keepBuffer = v !== 0; }, ['off', 'on']); }],
    ['encode_invalid_numbers', (S) => { argInit(S, 1); return booleanOption(S, 1, () => cfg.encodeInvalidNumbers, (v) => { cfg.encodeInvalidNumbers = v; }, ['off', 'on', 'null']); }],
    ['decode_invalid_numbers', (S) => { argInit(S, 1); return booleanOption(S, 1, () => (cfg.decodeInvalidNumbers ? 1 : 0), (v) => { cfg.decodeInvalidNumbers = v !== 0; }, ['off', 'on']); }],
    ['new', (S) => { openCjson(S); return 1; }],
  ]);
  lua.lua_pushlightuserdata(L, CJSON_NULL);
  lua.lua_setfield(L, -2, 'null');
  lua.lua_pushstring(L, luaBytes('cjson'));
  lua.lua_setfield(L, -2, '_NAME');
  lua.lua_pushstring(L, luaBytes('2.1.0'));
  lua.lua_setfield(L, -2, '_VERSION');
}
