import { lauxlib, lua, luaBytes, type LuaCFunction, type LuaState } from './lua-runtime';

/**
 * LuaBitOp 1.0 (the `bit` library Redis ships): 32-bit operations on Lua numbers. A number is
 * brought to 32 bits as LuaBitOp does, by adding 2^52 + 2^51 and keeping the low word of the
 * double, which rounds to nearest and wraps modulo 2^32.
 */

const scratch = new Float64Array(1);
const words = new Int32Array(scratch.buffer);
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

function toBit(n: number): number {
  scratch[0] = n + 6755399441055744.0;
  return words[LOW];
}

function checkBit(L: LuaState, arg: number): number {
  return toBit(lauxlib.luaL_checknumber(L, arg));
}

function pushBit(L: LuaState, b: number): number {
  lua.lua_pushnumber(L, b | 0);
  return 1;
}

function fold(op: (a: number, b: number) => number): LuaCFunction {
  return (L) => {
    const n = lua.lua_gettop(L);
    let b = checkBit(L, 1);
    for (let i = 2; i <= n; i++) b = op(b, checkBit(L, i));
    return pushBit(L, b);
  };
}

function shift(op: (b: number, n: number) => number): LuaCFunction {
  return (L) => pushBit(L, op(checkBit(L, 1), checkBit(L, 2) & 31));
}

const HEX = '0123456789abcdef';

const FUNCTIONS: [string, LuaCFunction][] = [
  ['tobit', (L) => pushBit(L, checkBit(L, 1))],
  ['bnot', (L) => pushBit(L, ~checkBit(L, 1))],
  ['band', fold((a, b) => a & b)],
  ['bor', fold((a, b) => a | b)],
  ['bxor', fold((a, b) => a ^ b)],
  ['lshift', shift((b, n) => b << n)],
  ['rshift', shift((b, n) => b >>> n)],
  ['arshift', shift((b, n) => b >> n)],
  ['rol', shift((b, n) => (b << n) | (b >>> (32 - n)))],
  ['ror', shift((b, n) => (b >>> n) | (b << (32 - n)))],
  ['bswap', (L) => {
    const b = checkBit(L, 1);
    return pushBit(L, ((b >>> 24) | ((b >> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24)));
  }],
  ['tohex', (L) => {
    let b = checkBit(L, 1);
    let n = lua.lua_type(L, 2) <= lua.LUA_TNIL ? 8 : checkBit(L, 2);
    let upper = false;
    if (n < 0) {
      n = -n;
      upper = true;
    }
    if (n > 8) n = 8;
    let out = '';
    for (let i = 0; i < n; i++) {
      out = HEX[b & 15] + out;
      b >>>= 4;
    }
    lua.lua_pushstring(L, luaBytes(upper ? out.toUpperCase() : out));
    return 1;
  }],
];

/** Opens `bit` as the table on top of the stack. */
export function openBit(L: LuaState): void {
  lua.lua_createtable(L, 0, FUNCTIONS.length);
  for (const [name, f] of FUNCTIONS) {
    lua.lua_pushcfunction(L, f);
    lua.lua_setfield(L, -2, name);
  }
}
