import { definePlugin } from 'redix-server';
import { AofCommands } from './aof-commands';
import { AofPersistence } from './aof-persistence';

/** Append-only file persistence in Redis 7's multi-part layout (manifest, base, incremental files). */
export default definePlugin({
  name: 'aof',
  commands: [AofCommands],
  providers: [AofPersistence],
});
