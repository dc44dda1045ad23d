import { definePlugin } from 'redix-server';
import { ExpireCommands } from './expire-commands';
import { KeyCommands } from './key-commands';
import { MemoryCommands } from './memory-commands';
import { MoveCommands } from './move-commands';
import { ObjectCommands } from './object-commands';
import { ScanCommands } from './scan-commands';
import { TtlCommands } from './ttl-commands';

/**
 * Generic key commands (DEL, EXISTS, RENAME, COPY, MOVE, SWAPDB, KEYS, SCAN ...), TTLs (EXPIRE
 * family, TTL, PERSIST ...) and introspection (OBJECT, MEMORY).
 */
export default definePlugin({
  name: 'keyspace-ttl',
  commands: [KeyCommands, MoveCommands, ExpireCommands, TtlCommands, ScanCommands, ObjectCommands, MemoryCommands],
});
