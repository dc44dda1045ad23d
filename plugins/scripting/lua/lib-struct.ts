import { ByteBuffer } from './byte-buffer';
import { raiseLuaError, setFunctions } from './lua-helpers';
import { lauxlib, lua, latin1, type LuaState } from './lua-runtime';

/**
 * Roberto Ierusalimschy's `struct` library as Redis ships it: `struct.pack(fmt, ...)`,
 * `struct.unpack(fmt, s [, pos])`, `struct.size(fmt)`, for the sizes of x86-64 Linux (int 4,
 * long and size_t 8). Formats: `<` `>` `=` endianness, `!n` alignment, `x` padding, `b B h H l L
 * T i[n] I[n]` integers, `f d` floats, `s` zero-terminated and `c[n]` fixed strings.
 */

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const NATIVE_LITTLE = true;

interface Header {
  little: boolean;
  align: number;
}

class Format {
  pos = 0;
  constructor(readonly L: LuaState, readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  /** A decimal number following the option, or `def` when there is none. */
  number(def: number): number {
    const c = this.text.charCodeAt(this.pos);
    if (!(c >= 48 && c <= 57)) return def;
    let a = 0;
    while (this.pos < this.text.length) {
      const d = this.text.charCodeAt(this.pos);
      if (!(d >= 48 && d <= 57) || a > (2147483647 - 9) / 10) break;
      a = a * 10 + (d - 48);
      this.pos++;
    }
    return a;
  }

  /** The size of option `opt` (reading its number where it takes one). */
  optSize(opt: string): number {
    switch (opt) {
      case 'B': case 'b': return 1;
      case 'H': case 'h': return 2;
      case 'L': case 'l': return 8;
      case 'T': return 8;
      case 'f': return 4;
      case 'd': return 8;
      case 'x': return 1;
      case 'c': return this.number(1);
      case 'i': case 'I': {
        const sz = this.number(4);
        if (sz > MAXINTSIZE) raiseLuaError(this.L, `integral size ${sz} is larger than limit of ${MAXINTSIZE}`);
        return sz;
      }
      default: return 0;
    }
  }
}

/** Applies a header option (`<`, `>`, `=`, `!`, space); false when `opt` is not one. */
function controlOption(f: Format, opt: string, h: Header): boolean {
  switch (opt) {
    case ' ': return true;
    case '>': h.little = false; return true;
    case '<': h.little = true; return true;
    case '=': h.little = NATIVE_LITTLE; return true;
    case '!': {
      const a = f.number(MAXALIGN);
      if ((a & (a - 1)) !== 0) lauxlib.luaL_argerror(f.L, 1, 'alignment must be power of 2');
      h.align = a;
      return true;
    }
    default: return false;
  }
}

function gap(opt: string, size: number, pos: number, h: Header): number {
  if (opt === 'c' || opt === 's' || opt === 'x') return 0;
  let align = size;
  if (align <= 1) return 0;
  if (align > h.align) align = h.align;
  if ((align & (align - 1)) !== 0) return 0;
  return (align - (pos & (align - 1))) & (align - 1);
}

function invalidOption(L: LuaState, opt: string): never {
  return lauxlib.luaL_argerror(L, 1, `invalid format option '${opt}'`);
}

function pack(L: LuaState): number {
  const f = new Format(L, latin1(lauxlib.luaL_checklstring(L, 1)));
  const h: Header = { little: NATIVE_LITTLE, align: 1 };
  let arg = 2;
  const out = new ByteBuffer();
  while (!f.done) {
    const opt = f.text[f.pos++];
    if (controlOption(f, opt, h)) continue;
    const size = f.optSize(opt);
    const toalign = gap(opt, size, out.length, h);
    for (let i = 0; i < toalign; i++) out.byte(0);
    switch (opt) {
      case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I': {
        const n = lauxlib.luaL_checknumber(L, arg++);
        out.int(BigInt(Math.trunc(Number.isFinite(n) ? n : 0)), size, h.little);
        break;
      }
      case 'x':
        out.byte(0);
        break;
      case 'f':
        out.float32(lauxlib.luaL_checknumber(L, arg++), h.little);
        break;
      case 'd':
        out.float64(lauxlib.luaL_checknumber(L, arg++), h.little);
        break;
      case 'c': case 's': {
        const s = lauxlib.luaL_checklstring(L, arg);
        let l = s.length;
        if (size === 0) {
          // "c0" packs the whole string.
        }
        if (opt === 'c' && size !== 0) {
          if (s.length < size) lauxlib.luaL_argerror(L, arg, 'string too short');
          l = size;
        }
        out.bytes(s.subarray(0, l));
        if (opt === 's') out.byte(0);
        arg++;
        break;
      }
      default:
        invalidOption(L, opt);
    }
  }
  lua.lua_pushstring(L, out.take());
  return 1;
}

function readInt(data: Uint8Array, pos: number, size: number, little: boolean, signed: boolean): number {
  let v = 0n;
  for (let i = 0; i < size; i++) {
    const b = data[little ? pos + size - 1 - i : pos + i];
    v = (v << 8n) | BigInt(b);
  }
  if (signed) v = BigInt.asIntN(size * 8, v);
  return Number(v);
}

function unpack(L: LuaState): number {
  const f = new Format(L, latin1(lauxlib.luaL_checklstring(L, 1)));
  const data = lauxlib.luaL_checklstring(L, 2);
  const ld = data.length;
  let pos = Math.trunc(lauxlib.luaL_optnumber(L, 3, 1)) - 1;
  if (pos < 0) lauxlib.luaL_argerror(L, 3, 'offset must be 1 or greater');
  const h: Header = { little: NATIVE_LITTLE, align: 1 };
  lua.lua_settop(L, 2);
  let n = 0;
  while (!f.done) {
    const opt = f.text[f.pos++];
    if (controlOption(f, opt, h)) continue;
    let size = f.optSize(opt);
    pos += gap(opt, size, pos, h);
    if (!(size <= ld && pos <= ld - size)) lauxlib.luaL_argerror(L, 2, 'data string too short');
    lauxlib.luaL_checkstack(L, 2, 'too many results');
    switch (opt) {
      case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I':
        lua.lua_pushnumber(L, readInt(data, pos, size, h.little, opt === 'b' || opt === 'h' || opt === 'l' || opt === 'i'));
        n++;
        break;
      case 'x':
        break;
      case 'f': {
        const view = Buffer.from(data.buffer, data.byteOffset + pos, 4);
        lua.lua_pushnumber(L, h.little ? view.readFloatLE(0) : view.readFloatBE(0));
        n++;
        break;
      }
      case 'd': {
        const view = Buffer.from(data.buffer, data.byteOffset + pos, 8);
        lua.lua_pushnumber(L, h.little ? view.readDoubleLE(0) : view.readDoubleBE(0));
        n++;
        break;
      }
      case 'c':
        if (size === 0) {
          if (n === 0 || lua.lua_type(L, -1) !== lua.LUA_TNUMBER) raiseLuaError(L, "format 'c0' needs a previous size");
          size = Math.trunc(lua.lua_tonumber(L, -1));
          lua.lua_pop(L, 1);
          n--;
          if (!(size <= ld && pos <= ld - size)) lauxlib.luaL_argerror(L, 2, 'data string too short');
        }
        lua.lua_pushstring(L, data.subarray(pos, pos + size));
        n++;
        break;
      case 's': {
        let end = pos;
        while (end < ld && data[end] !== 0) end++;
        if (end >= ld) raiseLuaError(L, 'unfinished string in data');
        size = end - pos + 1;
        lua.lua_pushstring(L, data.subarray(pos, end));
        n++;
        break;
      }
      default:
        invalidOption(L, opt);
    }
    pos += size;
  }
  lua.lua_pushnumber(L, pos + 1);
  return n + 1;
}

function size(L: LuaState): number {
  const f = new Format(L, latin1(lauxlib.luaL_checklstring(L, 1)));
  const h: Header = { little: NATIVE_LITTLE, align: 1 };
  let pos = 0;
  while (!f.done) {
    const opt = f.text[f.pos++];
    if (controlOption(f, opt, h)) continue;
    const sz = f.optSize(opt);
    pos += gap(opt, sz, pos, h);
    if (opt === 's') lauxlib.luaL_argerror(L, 1, 'options variable-length not allowed');
    else if (opt === 'c' && sz === 0) lauxlib.luaL_argerror(L, 1, 'options variable-length not allowed');
    else if (sz === 0 && opt !== 'c') invalidOption(L, opt);
    pos += sz;
  }
  lua.lua_pushnumber(L, pos);
  return 1;
}

/** Pushes the `struct` table. */
export function openStruct(L: LuaState): void {
  lua.lua_newtable(L);
  setFunctions(L, [['pack', pack], ['unpack', unpack], ['size', size]]);
}
