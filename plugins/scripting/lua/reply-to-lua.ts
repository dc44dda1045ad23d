import { pushCountedErrorTable } from './lua-errors';
import { lua, luaBytes, type LuaState } from './lua-runtime';

/**
 * A command's reply (RESP2 or RESP3 bytes, as the script's client received it) as the Lua value
 * Redis gives scripts: integers become numbers, bulk strings strings, null bulk/array `false`,
 * arrays tables, status `{ok=...}`, errors `{err=...}`; under RESP3 maps `{map={...}}`, sets
 * `{set={k=true}}`, doubles `{double=n}`, big numbers `{big_number="..."}`, verbatim strings
 * `{verbatim_string={format=..., string=...}}`, booleans, and null `nil`. Attributes are skipped.
 * The reply is trusted (the server wrote it), so there are no sanity checks.
 */
export class ReplyToLua {
  private data: Buffer = Buffer.alloc(0);
  private pos = 0;

  /** Pushes the value of the reply in `data`; true when it is an error reply. */
  push(L: LuaState, data: Buffer): boolean {
    this.data = data;
    this.pos = 0;
    const isError = data[0] === 45;
    this.value(L, true);
    this.data = EMPTY;
    return isError;
  }

  private line(): string {
    const data = this.data;
    const end = data.indexOf(13, this.pos);
    const s = data.latin1Slice(this.pos, end);
    this.pos = end + 2;
    return s;
  }

  private int(): number {
    const data = this.data;
    let p = this.pos;
    let neg = false;
    if (data[p] === 45) {
      neg = true;
      p++;
    }
    let n = 0;
    let c = data[p];
    while (c !== 13) {
      n = n * 10 + (c - 48);
      c = data[++p];
    }
    this.pos = p + 2;
    return neg ? -n : n;
  }

  private bulkBytes(len: number): Buffer {
    const out = this.data.subarray(this.pos, this.pos + len);
    this.pos += len + 2;
    return out;
  }

  /** Parses one reply; pushes it when `keep` (attributes are parsed and dropped). */
  private value(L: LuaState, keep: boolean): void {
    if (keep) lua.lua_checkstack(L, 3);
    const type = this.data[this.pos++];
    switch (type) {
      case 43: { // + status
        const s = this.line();
        if (!keep) return;
        lua.lua_createtable(L, 0, 1);
        lua.lua_pushstring(L, luaBytes(s));
        lua.lua_setfield(L, -2, 'ok');
        return;
      }
      case 45: { // - error
        const s = this.line();
        if (keep) pushCountedErrorTable(L, '-' + s);
        return;
      }
      case 58: { // : integer
        const n = this.int();
        if (keep) lua.lua_pushnumber(L, n);
        return;
      }
      case 36: { // $ bulk
        const len = this.int();
        if (len < 0) {
          if (keep) lua.lua_pushboolean(L, false);
          return;
        }
        const bytes = this.bulkBytes(len);
        if (keep) lua.lua_pushstring(L, bytes);
        return;
      }
      case 42: { // * array
        const len = this.int();
        if (len < 0) {
          if (keep) lua.lua_pushboolean(L, false);
          return;
        }
        if (keep) lua.lua_createtable(L, len, 0);
        for (let j = 1; j <= len; j++) {
          this.value(L, keep);
          if (keep) lua.lua_rawseti(L, -2, j);
        }
        return;
      }
      case 37: // % map
      case 126: { // ~ set
        const len = this.int();
        if (keep) {
          lua.lua_createtable(L, 0, 1);
          lua.lua_createtable(L, 0, len);
        }
        for (let j = 0; j < len; j++) {
          this.value(L, keep);
          if (type === 37) this.value(L, keep);
          else if (keep) lua.lua_pushboolean(L, true);
          if (keep) lua.lua_rawset(L, -3);
        }
        if (keep) lua.lua_setfield(L, -2, type === 37 ? 'map' : 'set');
        return;
      }
      case 95: // _ null
        this.pos += 2;
        if (keep) lua.lua_pushnil(L);
        return;
      case 35: { // # boolean
        const t = this.data[this.pos] === 116;
        this.pos += 3;
        if (keep) lua.lua_pushboolean(L, t);
        return;
      }
      case 44: { // , double
        const s = this.line();
        if (!keep) return;
        lua.lua_createtable(L, 0, 1);
        lua.lua_pushnumber(L, parseDouble(s));
        lua.lua_setfield(L, -2, 'double');
        return;
      }
      case 40: { // ( big number
        const s = this.line();
        if (!keep) return;
        lua.lua_createtable(L, 0, 1);
        lua.lua_pushstring(L, luaBytes(s));
        lua.lua_setfield(L, -2, 'big_number');
        return;
      }
      case 61: { // = verbatim
        const len = this.int();
        const bytes = this.bulkBytes(len);
        if (!keep) return;
        lua.lua_createtable(L, 0, 1);
        lua.lua_createtable(L, 0, 2);
        lua.lua_pushstring(L, bytes.subarray(4));
        lua.lua_setfield(L, -2, 'string');
        lua.lua_pushstring(L, bytes.subarray(0, 3));
        lua.lua_setfield(L, -2, 'format');
        lua.lua_setfield(L, -2, 'verbatim_string');
        return;
      }
      case 124: { // | attribute: skipped, then the reply it annotates
        const len = this.int();
        for (let j = 0; j < len; j++) {
          this.value(L, false);
          this.value(L, false);
        }
        this.value(L, keep);
        return;
      }
      default:
        throw new Error(`unexpected reply type byte ${type} in a script's command reply`);
    }
  }
}

const EMPTY = Buffer.alloc(0);

function parseDouble(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  if (s === 'nan' || s === '-nan') return NaN;
  return Number(s);
}
