import { ByteBuffer } from './byte-buffer';
import { raiseLuaError, setFunctions } from './lua-helpers';
import { lauxlib, lua, luaBytes, type LuaState } from './lua-runtime';

/**
 * lua-cmsgpack 0.4 as Redis ships it: `cmsgpack.pack(...)`, `unpack`, `unpack_one`,
 * `unpack_limit`. Integral numbers take the smallest integer encoding, others a float32 when
 * that is exact and a float64 otherwise; a table is an array when its keys are exactly 1..n
 * (an empty table too), a map otherwise; tables nested 16 deep are packed as nil.
 */

const MAX_NESTING = 16;
const INT64_MIN = -(2 ** 63);

function encodeInteger(out: ByteBuffer, n: number): void {
  if (n >= 0) {
    if (n <= 127) out.byte(n);
    else if (n <= 0xff) { out.byte(0xcc); out.byte(n); }
    else if (n <= 0xffff) { out.byte(0xcd); out.int(BigInt(n), 2, false); }
    else if (n <= 0xffffffff) { out.byte(0xce); out.int(BigInt(n), 4, false); }
    else { out.byte(0xcf); out.int(BigInt(n), 8, false); }
  } else if (n >= -32) out.byte(n & 0xff);
  else if (n >= -128) { out.byte(0xd0); out.byte(n & 0xff); }
  else if (n >= -32768) { out.byte(0xd1); out.int(BigInt(n), 2, false); }
  else if (n >= -2147483648) { out.byte(0xd2); out.int(BigInt(n), 4, false); }
  else { out.byte(0xd3); out.int(BigInt(n), 8, false); }
}

function encodeNumber(out: ByteBuffer, n: number): void {
  // IS_INT64_EQUIVALENT: finite, integral and inside int64's range.
  if (Number.isInteger(n) && n >= INT64_MIN && n < 2 ** 63) {
    encodeInteger(out, n);
  } else if (Math.fround(n) === n || Number.isNaN(n)) {
    out.byte(0xca);
    out.float32(n, false);
  } else {
    out.byte(0xcb);
    out.float64(n, false);
  }
}

function encodeString(out: ByteBuffer, s: Uint8Array): void {
  const len = s.length;
  if (len < 32) out.byte(0xa0 | len);
  else if (len <= 0xff) { out.byte(0xd9); out.byte(len); }
  else if (len <= 0xffff) { out.byte(0xda); out.int(BigInt(len), 2, false); }
  else { out.byte(0xdb); out.int(BigInt(len), 4, false); }
  out.bytes(s);
}

/** table_is_an_array: keys are positive integers 1..count with no gap. */
function tableIsArray(L: LuaState): number {
  lauxlib.luaL_checkstack(L, 2, 'in function table_is_an_array');
  let count = 0;
  let max = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2)) {
    lua.lua_pop(L, 1);
    if (lua.lua_type(L, -1) !== lua.LUA_TNUMBER) {
      lua.lua_pop(L, 1);
      return -1;
    }
    const n = lua.lua_tonumber(L, -1);
    if (!(n > 0 && Number.isInteger(n))) {
      lua.lua_pop(L, 1);
      return -1;
    }
    if (n > max) max = n;
    count++;
  }
  return max === count ? count : -1;
}

function encodeValue(L: LuaState, out: ByteBuffer, level: number): void {
  let t = lua.lua_type(L, -1);
  if (t === lua.LUA_TTABLE && level === MAX_NESTING) t = lua.LUA_TNIL;
  switch (t) {
    case lua.LUA_TSTRING:
      encodeString(out, lua.lua_tolstring(L, -1)!);
      return;
    case lua.LUA_TBOOLEAN:
      out.byte(lua.lua_toboolean(L, -1) ? 0xc3 : 0xc2);
      return;
    case lua.LUA_TNUMBER:
      encodeNumber(out, lua.lua_tonumber(L, -1));
      return;
    case lua.LUA_TTABLE: {
      const length = tableIsArray(L);
      if (length >= 0) encodeArray(L, out, level, length);
      else encodeMap(L, out, level);
      return;
    }
    default:
      out.byte(0xc0);
  }
}

function encodeArray(L: LuaState, out: ByteBuffer, level: number, length: number): void {
  lauxlib.luaL_checkstack(L, 3, 'in function mp_encode_lua_table_as_array');
  if (length <= 15) out.byte(0x90 | length);
  else if (length <= 0xffff) { out.byte(0xdc); out.int(BigInt(length), 2, false); }
  else { out.byte(0xdd); out.int(BigInt(length), 4, false); }
  for (let j = 1; j <= length; j++) {
    lua.lua_rawgeti(L, -1, j);
    encodeValue(L, out, level + 1);
    lua.lua_pop(L, 1);
  }
}

function encodeMap(L: LuaState, out: ByteBuffer, level: number): void {
  lauxlib.luaL_checkstack(L, 4, 'in function mp_encode_lua_table_as_map');
  let length = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2)) {
    lua.lua_pop(L, 1);
    length++;
  }
  if (length <= 15) out.byte(0x80 | length);
  else if (length <= 0xffff) { out.byte(0xde); out.int(BigInt(length), 2, false); }
  else { out.byte(0xdf); out.int(BigInt(length), 4, false); }
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2)) {
    lua.lua_pushvalue(L, -2);
    encodeValue(L, out, level + 1);
    lua.lua_pop(L, 1);
    encodeValue(L, out, level + 1);
    lua.lua_pop(L, 1);
  }
}

// ---- decoding ---------------------------------------------------------------------------------

class Eof extends Error {}
class BadFormat extends Error {}

class Cursor {
  constructor(readonly data: Buffer, public pos: number) {}

  get left(): number {
    return this.data.length - this.pos;
  }

  need(n: number): void {
    if (this.left < n) throw new Eof();
  }

  u8(): number {
    this.need(1);
    return this.data[this.pos++];
  }

  uint(size: number): number {
    this.need(size);
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + this.data[this.pos + i];
    this.pos += size;
    return v;
  }

  int(size: number): number {
    this.need(size);
    let v = 0n;
    for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(this.data[this.pos + i]);
    this.pos += size;
    return Number(BigInt.asIntN(size * 8, v));
  }

  bytes(n: number): Buffer {
    this.need(n);
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

function decodeValue(L: LuaState, c: Cursor): void {
  lauxlib.luaL_checkstack(L, 2, null);
  const b = c.u8();
  if (b <= 0x7f) return lua.lua_pushnumber(L, b);
  if (b >= 0xe0) return lua.lua_pushnumber(L, b - 256);
  if ((b & 0xe0) === 0xa0) return void lua.lua_pushstring(L, c.bytes(b & 0x1f));
  if ((b & 0xf0) === 0x90) return decodeArray(L, c, b & 0x0f);
  if ((b & 0xf0) === 0x80) return decodeMap(L, c, b & 0x0f);
  switch (b) {
    case 0xcc: return lua.lua_pushnumber(L, c.uint(1));
    case 0xcd: return lua.lua_pushnumber(L, c.uint(2));
    case 0xce: return lua.lua_pushnumber(L, c.uint(4));
    case 0xcf: return lua.lua_pushnumber(L, c.uint(8));
    case 0xd0: return lua.lua_pushnumber(L, c.int(1));
    case 0xd1: return lua.lua_pushnumber(L, c.int(2));
    case 0xd2: return lua.lua_pushnumber(L, c.int(4));
    case 0xd3: return lua.lua_pushnumber(L, c.int(8));
    case 0xc0: return lua.lua_pushnil(L);
    case 0xc3: return lua.lua_pushboolean(L, true);
    case 0xc2: return lua.lua_pushboolean(L, false);
    case 0xca: c.need(4); c.pos += 4; return lua.lua_pushnumber(L, c.data.readFloatBE(c.pos - 4));
    case 0xcb: c.need(8); c.pos += 8; return lua.lua_pushnumber(L, c.data.readDoubleBE(c.pos - 8));
    case 0xd9: case 0xc4: return void lua.lua_pushstring(L, c.bytes(c.uint(1)));
    case 0xda: case 0xc5: return void lua.lua_pushstring(L, c.bytes(c.uint(2)));
    case 0xdb: case 0xc6: return void lua.lua_pushstring(L, c.bytes(c.uint(4)));
    case 0xdc: return decodeArray(L, c, c.uint(2));
    case 0xdd: return decodeArray(L, c, c.uint(4));
    case 0xde: return decodeMap(L, c, c.uint(2));
    case 0xdf: return decodeMap(L, c, c.uint(4));
    default: throw new BadFormat();
  }
}

function decodeArray(L: LuaState, c: Cursor, n: number): void {
  lua.lua_newtable(L);
  for (let j = 1; j <= n; j++) {
    lua.lua_pushnumber(L, j);
    decodeValue(L, c);
    lua.lua_settable(L, -3);
  }
}

function decodeMap(L: LuaState, c: Cursor, n: number): void {
  lua.lua_newtable(L);
  for (let j = 0; j < n; j++) {
    decodeValue(L, c);
    decodeValue(L, c);
    lua.lua_settable(L, -3);
  }
}

function unpackFull(L: LuaState, limit: number, offset: number): number {
  const s = lauxlib.luaL_checklstring(L, 1);
  const data = Buffer.from(s.buffer, s.byteOffset, s.length);
  const decodeAll = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0) raiseLuaError(L, `Invalid request to unpack with offset of ${offset} and limit of ${data.length}.`);
  if (offset > data.length) raiseLuaError(L, `Start offset ${offset} greater than input length ${data.length}.`);
  if (decodeAll) limit = 2147483647;
  const c = new Cursor(data, offset);
  let count = 0;
  try {
    for (; c.left > 0 && count < limit; count++) decodeValue(L, c);
  } catch (e) {
    if (e instanceof Eof) raiseLuaError(L, 'Missing bytes in input.');
    if (e instanceof BadFormat) raiseLuaError(L, 'Bad data format in input.');
    throw e;
  }
  if (!decodeAll) {
    lua.lua_pushnumber(L, c.left === 0 ? -1 : c.pos);
    lua.lua_insert(L, 2);
    count++;
  }
  return count;
}

/** Pushes the `cmsgpack` table. */
export function openCmsgpack(L: LuaState): void {
  lua.lua_newtable(L);
  setFunctions(L, [
    ['pack', (S) => {
      const n = lua.lua_gettop(S);
      if (n === 0) lauxlib.luaL_argerror(S, 0, 'MessagePack pack needs input.');
      const out = new ByteBuffer();
      for (let i = 1; i <= n; i++) {
        lua.lua_pushvalue(S, i);
        encodeValue(S, out, 0);
        lua.lua_pop(S, 1);
      }
      lua.lua_pushstring(S, out.take());
      return 1;
    }],
    ['unpack', (S) => unpackFull(S, 0, 0)],
    ['unpack_one', (S) => {
      const offset = lauxlib.luaL_optnumber(S, 2, 0);
      lua.lua_settop(S, 1);
      return unpackFull(S, 1, Math.trunc(offset));
    }],
    ['unpack_limit', (S) => {
      const limit = lauxlib.luaL_checkinteger(S, 2);
      const offset = lauxlib.luaL_optnumber(S, 3, 0);
      lua.lua_settop(S, 1);
      return unpackFull(S, limit, Math.trunc(offset));
    }],
  ]);
  lua.lua_pushstring(L, luaBytes('lua-cmsgpack'));
  lua.lua_setfield(L, -2, '_NAME');
  lua.lua_pushstring(L, luaBytes('lua-cmsgpack 0.4.0'));
  lua.lua_setfield(L, -2, '_VERSION');
  lua.lua_pushstring(L, luaBytes('Copyright (C) 2012, Salvatore Sanfilippo'));
  lua.lua_setfield(L, -2, '_COPYRIGHT');
  lua.lua_pushstring(L, luaBytes('MessagePack C implementation for Lua'));
  lua.lua_setfield(L, -2, '_DESCRIPTION');
}
