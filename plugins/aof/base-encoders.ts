import { REDIS_VERSION, typeNameOf, type DataTypeRegistry } from 'redix-server';
import { RdbFileEncoder, type SnapshotDatabase, type SnapshotEntry } from 'redix-server/persistence';
import { CommandBuffer } from './command-buffer';

/** Turns snapshot entries into the bytes of a base file. */
export interface BaseEncoder {
  /** Encodes one key (with its TTL). */
  entry(entry: SnapshotEntry): void;
  /** Bytes waiting to be written. */
  readonly pending: number;
  /** Takes the pending bytes (valid until the next entry()). */
  take(): Buffer;
  /** Takes the last bytes (an RDB's EOF and checksum). */
  finish(): Buffer;
}

/**
 * A base as commands (`aof-use-rdb-preamble no`): SELECT when the database changes, each value as
 * its data type rewrites it, then PEXPIREAT for a key with a TTL, as Redis's rewrite does.
 */
export class CommandBaseEncoder implements BaseEncoder {
  private readonly out = new CommandBuffer();
  private currentDb = -1;

  /** `functions`: the library codes, rewritten first as FUNCTION LOAD (Redis's rewriteFunctions). */
  constructor(private readonly dataTypes: DataTypeRegistry, functions: readonly string[] = []) {
    for (const code of functions) this.out.append(['FUNCTION', 'LOAD', code]);
  }

  get pending(): number {
    return this.out.length;
  }

  entry({ dbIndex, key, value, expireAt }: SnapshotEntry): void {
    if (dbIndex !== this.currentDb) {
      this.out.appendSelect(dbIndex);
      this.currentDb = dbIndex;
    }
    const type = this.dataTypes.of(value);
    if (type === undefined) throw new Error(`no loaded plugin handles values of type "${typeNameOf(value)}" (key "${key}")`);
    type.rewrite(key, value, this.emit);
    if (expireAt !== -1) this.out.append(['PEXPIREAT', key, String(expireAt)]);
  }

  private readonly emit = (argv: (string | Buffer)[]): void => {
    this.out.append(argv);
  };

  take(): Buffer {
    // A view of the buffer, valid until the next entry(): the writer writes it at once.
    const bytes = this.out.view();
    this.out.reset();
    return bytes;
  }

  finish(): Buffer {
    return this.take();
  }
}

/**
 * A base in RDB format (`aof-use-rdb-preamble yes`, file `<name>.<seq>.base.rdb`), with the AUX
 * fields Redis writes for an AOF base (`aof-base 1`).
 */
export class RdbBaseEncoder implements BaseEncoder {
  private readonly encoder: RdbFileEncoder;
  private readonly sizes: Map<number, SnapshotDatabase>;
  private currentDb = -1;

  constructor(
    private readonly dataTypes: DataTypeRegistry,
    databases: readonly SnapshotDatabase[],
    options: { compression: boolean; checksum: boolean },
    functions: readonly string[] = [],
  ) {
    this.encoder = new RdbFileEncoder(options);
    this.sizes = new Map(databases.map((d) => [d.index, d]));
    const memory = process.memoryUsage();
    this.encoder.writeHeader([
      ['redis-ver', REDIS_VERSION],
      ['redis-bits', '64'],
      ['ctime', String(Math.floor(Date.now() / 1000))],
      ['used-mem', String(memory.heapUsed + memory.external)],
      ['aof-base', '1'],
    ], functions, dataTypes);
  }

  get pending(): number {
    return this.encoder.pending;
  }

  entry({ dbIndex, key, value, expireAt }: SnapshotEntry): void {
    if (dbIndex !== this.currentDb) {
      const size = this.sizes.get(dbIndex);
      this.encoder.writeDatabaseStart(dbIndex, size?.keys ?? 0, size?.expires ?? 0);
      this.currentDb = dbIndex;
    }
    this.encoder.writeEntry(key, value, expireAt, this.dataTypes);
  }

  take(): Buffer {
    return this.encoder.takeChunk();
  }

  finish(): Buffer {
    return this.encoder.finish();
  }
}
