import { definePlugin } from 'redix-server';
import { DumpCommands } from './dump-commands';
import { MigrateCommand } from './migrate-command';
import { RdbPersistence } from './rdb-persistence';
import { RdbService } from './rdb-service';
import { SaveCommands } from './save-commands';

/**
 * RDB persistence (dump.rdb in `dir`, loaded at start, saved on `save` points, SAVE/BGSAVE,
 * SHUTDOWN) and the DUMP/RESTORE/MIGRATE commands. See README.md for how BGSAVE works without fork.
 */
export default definePlugin({
  name: 'rdb',
  commands: [SaveCommands, DumpCommands, MigrateCommand],
  providers: [RdbPersistence],
  setup({ server }) {
    const service = RdbService.of(server);
    server.info.add('persistence', () => service.infoFields());
    server.info.add('stats', () => [['migrate_cached_sockets', MigrateCommand.cachedLinks(server)]]);
  },
  stop({ server }) {
    MigrateCommand.closeLinks(server);
  },
});
