import { definePlugin } from 'redix-server';
import { ZsetAddCommands } from './zset-add-commands';
import { ZsetReadCommands } from './zset-read-commands';
import { ZsetRangeCommands } from './zset-range-commands';
import { ZsetRemrangeCommands } from './zset-remrange-commands';
import { ZsetPopCommands } from './zset-pop-commands';
import { ZsetSetopCommands } from './zset-setop-commands';
import { ZsetRandomCommand } from './zset-random-command';
import { ZsetScanCommand } from './zset-scan-command';
import { zsetDataType } from './zset-type';

/** The sorted set data type: ZADD/ZRANGE and friends, blocking pops, its RDB codec and AOF rewrite. */
export default definePlugin({
  name: 'zsets',
  commands: [ZsetAddCommands, ZsetReadCommands, ZsetRangeCommands, ZsetRemrangeCommands, ZsetPopCommands, ZsetSetopCommands, ZsetRandomCommand, ZsetScanCommand],
  dataTypes: [zsetDataType],
});
