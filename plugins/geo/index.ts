import { definePlugin } from 'redix-server';
import { GeoCommands } from './geo-commands';
import { GeoSearchCommands } from './geo-search-commands';

/**
 * GEO commands. A GEO set is a sorted set whose scores are 52-bit geohashes, so this plugin works
 * on the zsets plugin's values (it imports that plugin's value and ZADD engine, as Redis's geo.c
 * builds on t_zset.c) and needs it loaded.
 */
export default definePlugin({
  name: 'geo',
  commands: [GeoCommands, GeoSearchCommands],
});
