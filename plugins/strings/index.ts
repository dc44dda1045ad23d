import { definePlugin } from 'redix-server';
import { CounterCommands } from './counter-commands';
import { GetSetCommands } from './get-set-commands';
import { LcsCommand } from './lcs-command';
import { RangeCommands } from './range-commands';
import { STRING_TYPE } from './string-type';

/** The string type and its commands (GET/SET family, counters, ranges, LCS). */
export default definePlugin({
  name: 'strings',
  commands: [GetSetCommands, CounterCommands, RangeCommands, LcsCommand],
  dataTypes: [STRING_TYPE],
});
