import { definePlugin } from 'redix-server';
import { EvalCommands, ScriptCommands } from './eval-commands';
import { FcallCommands, FunctionCommands } from './function-commands';
import { Scripting } from './scripting-service';

/**
 * Lua scripting: EVAL/EVALSHA (and _RO), SCRIPT, Redis 7 functions (FUNCTION, FCALL) on fengari,
 * a Lua VM in JavaScript made to behave as the Lua 5.1 Redis embeds. See README.md.
 */
export default definePlugin({
  name: 'scripting',
  commands: [EvalCommands, ScriptCommands, FunctionCommands, FcallCommands],
  configOptions: [
    {
      name: 'busy-reply-threshold', aliases: ['lua-time-limit'], kind: 'int', default: '5000', min: 0, max: 2 ** 63, mutable: true,
      description: 'Milliseconds a script runs before other clients get BUSY (and SCRIPT KILL / FUNCTION KILL may stop it).',
    },
  ],
  setup({ server }) {
    const scripting = Scripting.of(server);
    server.info.add('memory', () => scripting.memoryFields());
    // Redis's test hook (no DEBUG HELP line there either): lets scripts call noscript commands.
    server.debug.add({
      name: 'set-disable-deny-scripts',
      arity: 3,
      help: [],
      run(c, argv) {
        scripting.runner.denyScriptsDisabled = (Number.parseInt(argv[2].toString('latin1'), 10) || 0) !== 0;
        c.reply.ok();
      },
    });
    // Functions are part of the dataset: RDB files, AOF rewrites and full syncs carry them.
    server.rdbFunctions.own({
      codes: () => scripting.functions.codes(),
      replaceAll: (codes) => {
        const error = scripting.functions.restore(codes, 'flush');
        if (error !== null) throw new Error(`Failed loading the function libraries of the dump: ${error}`);
      },
    });
  },
});
