import { existsSync } from 'node:fs';
import { RdbFileReader, RdbFormatError, UserError, readRdb, type HostPort, type RdbLoadSummary, type ServerContext } from 'redix';

/**
 * Loads the dump at `path` into the (empty) keyspace before clients are accepted. Returns null
 * when there is no dump. A dump Redix cannot load entirely (corrupt, truncated, a type or opcode
 * no plugin handles) refuses the start with one UserError naming the file and byte offset: the
 * server never runs on part of a dataset.
 */
export function loadDumpFile(path: string, server: ServerContext): RdbLoadSummary | null {
  if (!existsSync(path)) return null;
  let reader: RdbFileReader;
  try {
    reader = new RdbFileReader(path);
  } catch (e) {
    throw new UserError(`cannot open the RDB file ${path}: ${(e as Error).message}`);
  }
  const databases = server.keyspace.databases;
  // A replica keeps keys its master has not expired yet; a master drops them (Redis's iAmMaster()).
  const isReplica = server.config.get<HostPort | null>('replicaof') !== null;
  try {
    return readRdb(reader, server.dataTypes, {
      databases: databases.length,
      verifyChecksum: server.config.get<boolean>('rdbchecksum'),
      skipExpired: !isReplica,
    }, (entry) => {
      const db = databases[entry.dbIndex];
      const before = db.size;
      db.load(entry.key, entry.value, entry.expireAt);
      if (db.size === before) throw new RdbFormatError(`duplicate key '${entry.key}' in database ${entry.dbIndex}`, reader.offset);
    });
  } catch (e) {
    if (e instanceof RdbFormatError) throw new UserError(`Bad RDB file ${path}: ${e.message} (at byte offset ${e.offset})`);
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot load the RDB file ${path}: ${(e as Error).message}`);
  } finally {
    reader.close();
  }
}
