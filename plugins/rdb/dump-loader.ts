import { RdbFormatError, UserError, type HostPort, type ServerContext } from 'redix-server';
import { RdbFileReader, readRdbInSlices, type RdbLoadSummary } from 'redix-server/persistence';

/** How long loading runs before letting clients in (they get -LOADING) and INFO answer. */
const SLICE_MS = 25;

/** How far a load has come (INFO's loading_* fields). */
export interface DumpLoadProgress {
  startedAt: number;
  totalBytes: number;
  loadedBytes: number;
}

/**
 * Loads the dump at `path` into the (empty) keyspace, in slices of a few milliseconds: clients
 * that connect meanwhile get -LOADING, as from Redis, and `progress` follows the file offset.
 * `aborted` is checked between slices (SHUTDOWN while loading). A dump Redix cannot load entirely
 * (corrupt, truncated, a type or opcode no plugin handles) refuses the start with one UserError
 * naming the file and byte offset: the server never runs on part of a dataset.
 */
export async function loadDumpFile(path: string, server: ServerContext, progress: DumpLoadProgress, aborted: () => boolean): Promise<RdbLoadSummary> {
  let reader: RdbFileReader;
  try {
    reader = new RdbFileReader(path);
  } catch (e) {
    throw new UserError(`cannot open the RDB file ${path}: ${(e as Error).message}`);
  }
  const databases = server.keyspace.databases;
  // A replica keeps keys its master has not expired yet; a master drops them (Redis's iAmMaster()).
  const isReplica = server.config.get<HostPort | null>('replicaof') !== null;
  const pause = async () => {
    progress.loadedBytes = reader.offset;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (aborted()) throw new DumpLoadAborted();
  };
  try {
    const summary = await readRdbInSlices(reader, server.dataTypes, {
      databases: databases.length,
      verifyChecksum: server.config.get<boolean>('rdbchecksum'),
      skipExpired: !isReplica,
    }, (entry) => {
      const db = databases[entry.dbIndex];
      const before = db.size;
      db.load(entry.key, entry.value, entry.expireAt);
      if (db.size === before) throw new RdbFormatError(`duplicate key '${entry.key}' in database ${entry.dbIndex}`, reader.offset);
    }, pause, SLICE_MS);
    progress.loadedBytes = progress.totalBytes;
    return summary;
  } catch (e) {
    if (e instanceof RdbFormatError) throw new UserError(`Bad RDB file ${path}: ${e.message} (at byte offset ${e.offset})`);
    if (e instanceof UserError || e instanceof DumpLoadAborted) throw e;
    throw new UserError(`cannot load the RDB file ${path}: ${(e as Error).message}`);
  } finally {
    reader.close();
  }
}

/** Thrown out of a load stopped because the server is shutting down. */
export class DumpLoadAborted extends Error {
  constructor() {
    super('RDB loading aborted: the server is shutting down');
  }
}
