import { lauxlib, lua, type LuaCFunction, type LuaState } from './lua-runtime';
import { raiseLuaError } from './lua-helpers';

/**
 * Redis's math.random: the 48-bit linear congruential generator of rand48 (redisLrand48), whose
 * state is shared by every script of the server and is not reset between scripts, so a given
 * seed gives the same sequence as on redis-server.
 */
export class Lrand48 {
  private x = 0x1234abcd330en;

  next(): number {
    this.x = (0x5deece66dn * this.x + 0xbn) & 0xffffffffffffn;
    return Number(this.x >> 17n);
  }

  seed(value: number): void {
    const v = BigInt.asUintN(32, BigInt(value | 0));
    this.x = (v << 16n) | 0x330en;
  }
}

const LRAND48_MAX = 2147483647;

function checkInt(L: LuaState, arg: number): number {
  return Math.trunc(lauxlib.luaL_checknumber(L, arg)) | 0;
}

/** math.random and math.randomseed over `rand`; `inScript()` false outside a script invocation. */
export function randomFunctions(rand: Lrand48, inScript: () => boolean): { random: LuaCFunction; randomseed: LuaCFunction } {
  return {
    random: (L) => {
      if (!inScript()) raiseLuaError(L, 'math.random can only be called inside a script invocation');
      const r = (rand.next() % LRAND48_MAX) / LRAND48_MAX;
      switch (lua.lua_gettop(L)) {
        case 0:
          lua.lua_pushnumber(L, r);
          break;
        case 1: {
          const u = checkInt(L, 1);
          if (!(1 <= u)) lauxlib.luaL_argerror(L, 1, 'interval is empty');
          lua.lua_pushnumber(L, Math.floor(r * u) + 1);
          break;
        }
        case 2: {
          const l = checkInt(L, 1);
          const u = checkInt(L, 2);
          if (!(l <= u)) lauxlib.luaL_argerror(L, 2, 'interval is empty');
          lua.lua_pushnumber(L, Math.floor(r * (u - l + 1)) + l);
          break;
        }
        default:
          raiseLuaError(L, 'wrong number of arguments');
      }
      return 1;
    },
    randomseed: (L) => {
      if (!inScript()) raiseLuaError(L, 'math.randomseed can only be called inside a script invocation');
      rand.seed(checkInt(L, 1));
      return 0;
    },
  };
}
