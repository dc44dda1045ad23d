import { StorageEngineProvider } from '../commands/decorators';
import type { Database, DatabaseEnvironment } from './database';
import { MemoryDatabase } from './memory-database';
import type { StorageEngine } from './storage-engine';

/** The default engine: everything in process memory. */
@StorageEngineProvider('memory')
export class MemoryStorageEngine implements StorageEngine {
  createDatabase(index: number, env: DatabaseEnvironment): Database {
    return new MemoryDatabase(index, env);
  }
}
