import { definePlugin } from 'redix-server';
import { SetWriteCommands } from './set-write-commands';
import { SetReadCommands } from './set-read-commands';
import { SetRandomCommands } from './set-random-commands';
import { SetAlgebraCommands } from './set-algebra-commands';
import { SetScanCommand } from './set-scan-command';
import { setDataType } from './set-type';

/** The set data type: SADD/SMEMBERS and friends, intset and hashtable encodings, RDB codec, AOF rewrite. */
export default definePlugin({
  name: 'sets',
  commands: [SetWriteCommands, SetReadCommands, SetRandomCommands, SetAlgebraCommands, SetScanCommand],
  dataTypes: [setDataType],
});
