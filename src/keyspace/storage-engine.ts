import type { Database, DatabaseEnvironment } from './database';

/**
 * A storage engine makes the databases. The engine knows nothing of persistence or replication:
 * changes reach those through the change feed.
 */
export interface StorageEngine {
  createDatabase(index: number, env: DatabaseEnvironment): Database;
}
