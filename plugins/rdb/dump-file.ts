import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REDIS_VERSION, type DataTypeRegistry, type Keyspace } from 'redix-server';
import { RdbFileEncoder, type RdbAuxField } from 'redix-server/persistence';

/** Bytes gathered before they are handed to the file. */
export const CHUNK_BYTES = 1 << 20;

let tempSequence = 0;

/** A temp file name in the dump's directory (Redis: temp-<pid>.rdb; several servers may share a process here). */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `temp-${process.pid}-${++tempSequence}.rdb`);
}

/**
 * The AUX fields Redis 7.0 writes at the top of a dump, with the ones other plugins contribute
 * (replication's repl-stream-db, repl-id, repl-offset) where Redis puts them: before aof-base.
 */
export function auxFields(contributed: readonly RdbAuxField[] = []): RdbAuxField[] {
  const used = process.memoryUsage();
  return [
    ['redis-ver', REDIS_VERSION],
    ['redis-bits', '64'],
    ['ctime', String(Math.floor(Date.now() / 1000))],
    ['used-mem', String(used.heapUsed + used.external)],
    ...contributed,
    ['aof-base', '0'],
  ];
}

export interface DumpOptions {
  compression: boolean;
  checksum: boolean;
  /** The header's AUX fields (auxFields()), taken when the save starts. */
  aux: readonly RdbAuxField[];
  /** The function libraries' codes (server.rdbFunctions.codesForSave()), taken when the save starts. */
  functions: readonly string[];
}

/**
 * SAVE: writes the whole keyspace to a temp file, fsyncs it, renames it over the dump and fsyncs
 * the directory, all blocking (as Redis's SAVE blocks). A failure or a crash at any point leaves the
 * previous dump as it was. Returns the number of keys written; throws on I/O errors.
 */
export function writeDumpSync(finalPath: string, keyspace: Keyspace, dataTypes: DataTypeRegistry, options: DumpOptions): number {
  const tempPath = tempPathFor(finalPath);
  const fd = openSync(tempPath, 'w');
  let keys = 0;
  try {
    const encoder = new RdbFileEncoder(options);
    encoder.writeHeader(options.aux, options.functions, dataTypes);
    for (const db of keyspace.databases) {
      if (db.size === 0) continue;
      encoder.writeDatabaseStart(db.index, db.size, db.expiresCount);
      db.forEachEntry((value, key) => {
        encoder.writeEntry(key, value, db.getExpire(key), dataTypes);
        keys++;
        if (encoder.pending >= CHUNK_BYTES) writeFully(fd, encoder.takeChunk());
      });
    }
    writeFully(fd, encoder.finish());
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    removeQuietly(tempPath);
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tempPath, finalPath);
  } catch (e) {
    removeQuietly(tempPath);
    throw e;
  }
  fsyncDirectory(dirname(finalPath));
  return keys;
}

export function writeFully(fd: number, chunk: Buffer): void {
  let offset = 0;
  while (offset < chunk.length) offset += writeSync(fd, chunk, offset, chunk.length - offset);
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Makes a rename durable; not every platform lets a directory be fsynced, which is fine. */
export function fsyncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}
