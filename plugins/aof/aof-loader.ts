import fs from 'node:fs';
import { RdbFormatError, UserError, type CommandContext, type Logger, type ServerContext } from 'redix-server';
import { RdbFileReader, readRdbInSlices } from 'redix-server/persistence';
import type { AofDirectory } from './aof-directory';
import { readAofFile } from './aof-reader';
import type { AofFileInfo, AofManifest } from './manifest';

/** How long replay may run before letting clients in (they get -LOADING) and INFO answer. */
const SLICE_MS = 25;

export interface LoadProgress {
  startedAt: number;
  totalBytes: number;
  loadedBytes: number;
}

export interface LoadOutcome {
  commands: number;
  /** Size of the base file (aof_base_size after a restart). */
  baseSize: number;
  totalSize: number;
}

/**
 * Replays the files of a manifest (base, then incremental files) through the command handlers,
 * as a client whose replies are dropped. MULTI ... EXEC blocks run when their EXEC is read; an
 * unfinished block at the end is dropped. A command cut short at the end of the last file is cut
 * off when `aof-load-truncated` is yes; anything else that is not a command stops the start with
 * one message naming the file and the byte offset.
 */
export class AofLoader {
  readonly progress: LoadProgress = { startedAt: 0, totalBytes: 0, loadedBytes: 0 };
  private client!: CommandContext;
  private commands = 0;
  private aborted = false;

  constructor(
    private readonly server: ServerContext,
    private readonly directory: AofDirectory,
    private readonly logger: Logger,
  ) {}

  /** The files to replay, in order, each checked to exist. */
  filesOf(manifest: AofManifest): AofFileInfo[] {
    const files = manifest.base === null ? [...manifest.incr] : [manifest.base, ...manifest.incr];
    for (const f of files) {
      if (this.directory.size(f.name) < 0) {
        throw new UserError(`The AOF file ${this.directory.file(f.name)} listed in the manifest ${this.directory.manifestPath} doesn't exist`);
      }
    }
    return files;
  }

  async load(manifest: AofManifest, allowTruncated: boolean): Promise<LoadOutcome> {
    const files = this.filesOf(manifest);
    const sizes = files.map((f) => this.directory.size(f.name));
    this.progress.startedAt = Date.now();
    this.progress.totalBytes = sizes.reduce((a, b) => a + b, 0);
    this.progress.loadedBytes = 0;
    this.client = this.server.createInternalClient();
    this.commands = 0;
    for (let i = 0; i < files.length; i++) {
      if (sizes[i] === 0) continue;
      const started = Date.now();
      await this.loadFile(files[i], i === files.length - 1, allowTruncated);
      this.progress.loadedBytes += sizes[i];
      const what = files[i].type === 'b' ? 'base' : 'incr';
      this.logger.notice(`DB loaded from ${what} file ${files[i].name}: ${((Date.now() - started) / 1000).toFixed(3)} seconds`);
    }
    return {
      commands: this.commands,
      baseSize: manifest.base === null ? 0 : this.directory.size(manifest.base.name),
      totalSize: files.reduce((sum, f) => sum + Math.max(0, this.directory.size(f.name)), 0),
    };
  }

  private async loadFile(file: AofFileInfo, isLast: boolean, allowTruncated: boolean): Promise<void> {
    const path = this.directory.file(file.name);
    const stats = this.server.stats;
    const client = this.client;
    const server = this.server;
    const loadedBefore = this.progress.loadedBytes;
    // An RDB base (aof-use-rdb-preamble yes), or an old-style AOF that starts with an RDB preamble.
    const commandsFrom = startsWithRdb(path) ? await this.loadRdbPart(path, file.name) : 0;
    let validUpTo = commandsFrom;
    let validBeforeMulti = commandsFrom;
    let queue: Buffer[][] | null = null;
    let lastOffset = commandsFrom;
    let sliceStart = Date.now();

    const run = (argv: Buffer[], at: number) => {
      const errorsBefore = stats.totalErrorReplies;
      const selecting = isName(argv[0], 'select');
      server.execute(client, argv);
      this.commands++;
      // The dispatcher counts a rejection (unknown command, wrong arity): Redis refuses such a file.
      if (stats.totalErrorReplies !== errorsBefore) {
        throw new UserError(`Unknown command '${argv[0].latin1Slice(0, Math.min(argv[0].length, 128))}' (or wrong number of arguments) reading the append only file ${path} at offset ${at}`);
      }
      if (selecting && client.dbIndex !== Number(argv[1]?.latin1Slice(0, argv[1].length))) {
        throw new UserError(`SELECT ${argv[1]?.latin1Slice(0, 32)} failed (DB index out of range; databases is ${server.keyspace.databases.length}) reading the append only file ${path} at offset ${at}`);
      }
    };

    const end = await readAofFile(path, (argv, endOffset) => {
      const at = lastOffset;
      lastOffset = endOffset;
      if (queue !== null) {
        if (isName(argv[0], 'exec')) {
          const queued = queue;
          queue = null;
          for (const q of queued) run(q, at);
        } else if (isName(argv[0], 'discard')) {
          queue = null;
        } else {
          queue.push(argv);
        }
      } else if (isName(argv[0], 'multi')) {
        validBeforeMulti = validUpTo;
        queue = [];
      } else {
        run(argv, at);
      }
      validUpTo = endOffset;
    }, async (offset) => {
      if (this.aborted) throw new LoadAborted();
      this.progress.loadedBytes = loadedBefore + offset;
      if (Date.now() - sliceStart < SLICE_MS) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }, commandsFrom);

    switch (end.kind) {
      case 'complete':
        if (queue === null) return;
        this.logger.warning(`Revert incomplete MULTI/EXEC transaction in AOF file ${file.name}`);
        this.cutShort(path, file.name, validBeforeMulti, isLast, allowTruncated);
        return;
      case 'truncated':
        this.cutShort(path, file.name, queue === null ? validUpTo : validBeforeMulti, isLast, allowTruncated);
        return;
      case 'corrupt':
        throw new UserError(`Bad file format reading the append only file ${path} at offset ${end.offset} (${end.reason}): make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`);
      case 'rdb':
        // Only seen at offset 0, which loadRdbPart already consumed.
        throw new UserError(`Unexpected RDB data in the AOF file ${path}`);
    }
  }

  /**
   * Loads the RDB part of a file straight into the keyspace, in slices (clients get -LOADING and
   * INFO shows the progress meanwhile); returns the offset where it ends (commands may follow).
   * Keys already expired are kept, as Redis does for an AOF preamble: the commands after it may
   * still refer to them.
   */
  private async loadRdbPart(path: string, name: string): Promise<number> {
    this.logger.notice(name.endsWith('.rdb') ? 'Reading RDB base file on AOF loading...' : 'Reading RDB preamble from AOF file...');
    const reader = new RdbFileReader(path);
    const databases = this.server.keyspace.databases;
    const loadedBefore = this.progress.loadedBytes;
    const pause = async () => {
      if (this.aborted) throw new LoadAborted();
      this.progress.loadedBytes = loadedBefore + reader.offset;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.aborted) throw new LoadAborted();
    };
    try {
      const options = { databases: databases.length, verifyChecksum: this.server.config.get<boolean>('rdbchecksum'), skipExpired: false };
      const summary = await readRdbInSlices(reader, this.server.dataTypes, options, (entry) => {
        const db = databases[entry.dbIndex];
        const before = db.size;
        db.load(entry.key, entry.value, entry.expireAt);
        if (db.size === before) throw new RdbFormatError(`duplicate key '${entry.key}' in database ${entry.dbIndex}`, reader.offset);
      }, pause, SLICE_MS);
      this.server.rdbFunctions.loaded(summary.functions);
      this.commands += summary.keysLoaded;
      return reader.offset;
    } catch (e) {
      if (e instanceof RdbFormatError) throw new UserError(`Error reading the RDB base of the AOF file ${path}: ${e.message} (at byte offset ${e.offset}); AOF loading aborted`);
      throw e;
    } finally {
      reader.close();
    }
  }

  /** Stops a load in progress at its next pause (SHUTDOWN while loading). */
  abort(): void {
    this.aborted = true;
  }

  /** A short last command (or an unfinished MULTI): cut it off if allowed, else refuse to start. */
  private cutShort(path: string, name: string, validUpTo: number, isLast: boolean, allowTruncated: boolean): void {
    if (!isLast) {
      throw new UserError(`Fatal error: the AOF file ${path} is truncated at offset ${validUpTo} but it is not the last file of the manifest`);
    }
    if (!allowTruncated) {
      throw new UserError(`Unexpected end of file reading the append only file ${path} (the last complete command ends at offset ${validUpTo}). You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`);
    }
    this.logger.warning(`!!! Warning: short read while loading the AOF file ${name}!!!`);
    this.logger.warning(`!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
    try {
      fs.truncateSync(path, validUpTo);
    } catch (e) {
      throw new UserError(`Error truncating the AOF file ${path}: ${(e as Error).message}`);
    }
    this.logger.warning(`AOF ${name} loaded anyway because aof-load-truncated is enabled`);
  }
}

/** Thrown out of a load stopped by abort(). */
export class LoadAborted extends Error {
  constructor() {
    super('AOF loading aborted: the server is shutting down');
  }
}

/** Case-insensitive command name check without allocating for the common mismatch. */
function isName(arg: Buffer, lower: string): boolean {
  if (arg.length !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    if ((arg[i] | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

function startsWithRdb(path: string): boolean {
  const fd = fs.openSync(path, 'r');
  try {
    const head = Buffer.alloc(5);
    return fs.readSync(fd, head, 0, 5, 0) === 5 && head.latin1Slice(0, 5) === 'REDIS';
  } finally {
    fs.closeSync(fd);
  }
}
