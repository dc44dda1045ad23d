import { describe, expect, it } from 'vitest';
import { formatE, formatF, formatLua51Number, formatNumberG, formatArgNumber } from '../../plugins/scripting/lua/lua-number-format';
import { lua51Source } from '../../plugins/scripting/lua/lua51-source';
import { lua51RuntimeMessage, lua51SyntaxMessage } from '../../plugins/scripting/lua/lua51-compat';
import { lauxlib, lua, latin1, type LuaState } from '../../plugins/scripting/lua/lua-runtime';
import { createRedisState, protectRecursively, pushGlobals, setErrorMetatable, type RedisApiHost } from '../../plugins/scripting/lua/lua-state';
import { Lrand48 } from '../../plugins/scripting/lua/redis-random';
import { ReplyToLua } from '../../plugins/scripting/lua/reply-to-lua';
import { splitArgs, parseEvalShebang } from '../../plugins/scripting/shebang';
import { SCRIPT_FLAG } from '../../plugins/scripting/script-run';

/** The pieces of the scripting plugin that do not need a server: number formats, source and message bridges, the Lua state. */

describe('Lua 5.1 number formatting (glibc printf, exact ties to even)', () => {
  it('formats as %.14g', () => {
    const cases: [number, string][] = [
      [5, '5'], [2.5, '2.5'], [0.1, '0.1'], [1e15, '1e+15'], [1e-5, '1e-05'], [2 ** 53, '9.007199254741e+15'],
      [123456789012345, '1.2345678901234e+14'], [100000000000000, '1e+14'], [99999999999999, '99999999999999'],
      [-0, '-0'], [1 / 0, 'inf'], [-1 / 0, '-inf'], [0 / 0, '-nan'], [1 / 3, '0.33333333333333'], [0.0001, '0.0001'],
      [2.5e-310, '2.5e-310'], [1.7976931348623157e308, '1.7976931348623e+308'],
    ];
    for (const [n, text] of cases) expect(formatLua51Number(n), String(n)).toBe(text);
  });

  it('formats arguments as %.17g and %e / %f / %g with a precision', () => {
    expect(formatArgNumber(0.1)).toBe('0.10000000000000001');
    expect(formatArgNumber(3.14159265358979)).toBe('3.14159265358979');
    expect(formatArgNumber(1e100)).toBe('1e+100');
    expect(formatE(2.5, 0)).toBe('2e+00');
    expect(formatE(3.5, 0)).toBe('4e+00');
    expect(formatF(0.125, 2)).toBe('0.12');
    expect(formatF(0.375, 2)).toBe('0.38');
    expect(formatF(-1.005, 2)).toBe('-1.00');
    expect(formatF(999.9996, 3)).toBe('1000.000');
    expect(formatNumberG(1e20, 6)).toBe('1e+20');
    expect(formatNumberG(100, 6)).toBe('100');
    expect(formatNumberG(0.00001234, 3)).toBe('1.23e-05');
    expect(formatNumberG(1.5, 6, false, true)).toBe('1.50000');
  });
});

describe('Lua 5.1 source and messages on Lua 5.3', () => {
  it('drops the backslash of escapes 5.1 does not know, in strings only', () => {
    const src = Buffer.from("return 'a\\.b', \"\\d\\x41\\n\\65\\\\\", [[x\\.y]] -- c\\.d\n--[==[ \\. ]==] '\\''", 'latin1');
    expect(lua51Source(src).toString('latin1')).toBe("return 'a.b', \"dx41\\n\\65\\\\\", [[x\\.y]] -- c\\.d\n--[==[ \\. ]==] '\\''");
    const plain = Buffer.from('return 1');
    expect(lua51Source(plain)).toBe(plain);
  });

  it('words compile and runtime errors as 5.1', () => {
    expect(lua51SyntaxMessage("user_script:1: syntax error near 'error'")).toBe("user_script:1: '=' expected near 'error'");
    expect(lua51SyntaxMessage('user_script:1: unexpected symbol near <eof>')).toBe("user_script:1: unexpected symbol near '<eof>'");
    expect(lua51SyntaxMessage("user_script:1: <name> expected near '('")).toBe("user_script:1: '<name>' expected near '('");
    expect(lua51RuntimeMessage("user_script:1: attempt to index a nil value (local 't')")).toBe("user_script:1: attempt to index local 't' (a nil value)");
    expect(lua51RuntimeMessage("x: attempt to call a nil value (field 'register_function')")).toBe("x: attempt to call field 'register_function' (a nil value)");
    expect(lua51RuntimeMessage('x: attempt to perform arithmetic on a table value')).toBe('x: attempt to perform arithmetic on a table value');
  });

  it('parses shebangs as Redis (sdssplitargs, flags)', () => {
    expect(splitArgs('#!lua flags=no-writes "a b" \'c\\\'d\'')).toEqual(['#!lua', 'flags=no-writes', 'a b', "c'd"]);
    expect(splitArgs('#!lua "unbalanced')).toBeNull();
    expect(parseEvalShebang('return 1')).toEqual({ ok: true, flags: SCRIPT_FLAG.EVAL_COMPAT_MODE, shebangLength: 0 });
    expect(parseEvalShebang('#!lua flags=no-writes,allow-oom\nreturn 1')).toEqual({ ok: true, flags: SCRIPT_FLAG.NO_WRITES | SCRIPT_FLAG.ALLOW_OOM, shebangLength: 31 });
    expect(parseEvalShebang('#!lua flags=nope\n')).toEqual({ ok: false, error: 'Unexpected flag in script shebang: nope' });
    expect(parseEvalShebang('#!lua')).toEqual({ ok: false, error: 'Invalid script shebang' });
  });
});

describe('the Lua state', () => {
  const logs: string[] = [];
  const host: RedisApiHost = { inScript: true, call: () => 0, setResp() {}, setRepl() {}, log: (_l, m) => logs.push(m), random: new Lrand48() };
  const L: LuaState = createRedisState(host);
  pushGlobals(L);
  setErrorMetatable(L);
  protectRecursively(L);
  lua.lua_pop(L, 1);

  function run(code: string): string {
    expect(lauxlib.luaL_loadbufferx(L, Buffer.from(code, 'latin1'), null, '@user_script', 't')).toBe(lua.LUA_OK);
    const status = lua.lua_pcall(L, 0, 1, 0);
    const value = lua.lua_tolstring(L, -1);
    lua.lua_pop(L, 1);
    return (status === lua.LUA_OK ? '' : 'error: ') + (value === null ? 'nil' : latin1(value));
  }

  it('has only doubles, printed as Lua 5.1 prints them', () => {
    expect(run('local s = 0 for i = 1, 1000000 do s = s + i end return s')).toBe('500000500000');
    expect(run('return 2147483647 + 1')).toBe('2147483648');
    expect(run('return 10 / 2 .. " " .. #"abc" .. " " .. 7 % 3')).toBe('5 3 1');
  });

  it('locks the globals and libraries', () => {
    expect(run('x = 1')).toBe('error: user_script:1: Attempt to modify a readonly table');
    expect(run('return undefined_name')).toBe("error: user_script:1: Script attempted to access nonexistent global variable 'undefined_name'");
    expect(run('string.rep = nil')).toBe('error: user_script:1: Attempt to modify a readonly table');
    expect(run('setmetatable(_G, nil)')).toBe('error: Attempt to modify a readonly table');
    expect(run('local t = {} t.x = 1 return t.x')).toBe('1');
  });

  it('keeps the count hook working after an error caught by pcall (a fengari bug worked around)', () => {
    const thread = lua.lua_newthread(L);
    lua.lua_pop(L, 1);
    let hooks = 0;
    lua.lua_sethook(thread, () => { hooks++; }, lua.LUA_MASKCOUNT, 1000);
    lauxlib.luaL_loadbufferx(thread, Buffer.from("pcall(error, 'x') local s = 0 for i = 1, 100000 do s = s + i end return s"), null, '@t', 't');
    expect(lua.lua_resume(thread, null, 0)).toBe(lua.LUA_OK);
    expect(hooks).toBeGreaterThan(100);
  });

  it('gives math.random the sequence of Redis rand48 from a seed', () => {
    expect(run('math.randomseed(42) return tostring(math.random()) .. " " .. math.random(100)')).toBe(run('math.randomseed(42) return tostring(math.random()) .. " " .. math.random(100)'));
    expect(run('math.randomseed(1) return math.random(1000000)')).not.toBe(run('math.randomseed(2) return math.random(1000000)'));
  });

  it('turns command replies into Lua values', () => {
    const parser = new ReplyToLua();
    const shown: string[] = [];
    for (const reply of ['+OK\r\n', ':42\r\n', '$3\r\nabc\r\n', '$-1\r\n', '*2\r\n:1\r\n$1\r\nx\r\n', '-ERR bad\r\n', '%1\r\n$1\r\na\r\n:1\r\n', ',1.5\r\n', '#t\r\n', '_\r\n', '|1\r\n$1\r\nk\r\n$1\r\nv\r\n:7\r\n']) {
      const isError = parser.push(L, Buffer.from(reply));
      lua.lua_getglobal(L, 'cjson');
      lua.lua_getfield(L, -1, 'encode');
      lua.lua_remove(L, -2);
      lua.lua_insert(L, -2);
      expect(lua.lua_pcall(L, 1, 1, 0)).toBe(lua.LUA_OK);
      shown.push((isError ? '!' : '') + latin1(lua.lua_tolstring(L, -1)!));
      lua.lua_pop(L, 1);
    }
    expect(shown).toEqual([
      '{"ok":"OK"}', '42', '"abc"', 'false', '[1,"x"]', '!{"err":"ERR bad","ignore_error_stats_update":true}',
      '{"map":{"a":1}}', '{"double":1.5}', 'true', 'null', '7',
    ]);
  });
});
