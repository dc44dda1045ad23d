import { definePlugin } from 'redix-server';
import { HashReadCommands } from './hash-read-commands';
import { HashWriteCommands } from './hash-write-commands';
import { HashRandomCommand } from './hash-random-command';
import { HashScanCommand } from './hash-scan-command';
import { hashDataType } from './hash-type';

/** The hash data type: HSET/HGET and friends, with its RDB codec and AOF rewrite. */
export default definePlugin({
  name: 'hashes',
  commands: [HashWriteCommands, HashReadCommands, HashRandomCommand, HashScanCommand],
  dataTypes: [hashDataType],
});
