import fs from 'node:fs';
import path from 'node:path';
import { type InfoFields, type Logger, type ServerContext } from 'redix-server';
import { backgroundChildOf, loadingInfoFields, takeSnapshot, type BackgroundChild } from 'redix-server/persistence';
import { AofAppender, type FsyncPolicy } from './aof-appender';
import { AofDirectory } from './aof-directory';
import { AofLoader, LoadAborted } from './aof-loader';
import { CommandBaseEncoder, RdbBaseEncoder } from './base-encoders';
import { BaseWriter } from './base-writer';
import { cloneManifest, emptyManifest, type AofFileInfo, type AofManifest } from './manifest';
import { registerDebugLoadAof } from './debug-loadaof';

/** off; on; or switched on at run time and waiting for its first base to be written. */
export type AofState = 'off' | 'on' | 'wait-rewrite';

export type RewriteRequest = 'started' | 'scheduled' | 'in-progress' | 'failed';

/** How often the cron checks the automatic rewrite trigger and scheduled rewrites. */
const CRON_MS = 100;
/** After this many failed rewrites in a row, automatic ones back off (Redis's limit). */
const FAILURES_BEFORE_BACKOFF = 3;
const MAX_BACKOFF_MINUTES = 60;

interface RunningRewrite {
  writer: BaseWriter;
  /** The base is written in RDB format. */
  rdb: boolean;
  /** The first base after `CONFIG SET appendonly yes`: writes meanwhile go to the temp incr file. */
  enabling: boolean;
  startedAt: number;
}

const services = new WeakMap<ServerContext, AofService>();

/** The AOF service of a server, if its `aof` persistence provider was selected. */
export function aofServiceOf(server: ServerContext): AofService | undefined {
  return services.get(server);
}

/**
 * Redis 7 multi-part AOF for one server: loading on start, appending the change feed, background
 * rewrites (BGREWRITEAOF, the growth trigger, turning AOF on at run time), INFO fields.
 */
export class AofService {
  state: AofState = 'off';
  readonly appender: AofAppender;
  private directory: AofDirectory | null = null;
  private manifest: AofManifest = emptyManifest();
  private loader: AofLoader | null = null;
  /** Set by load(): the manifest start() replays. */
  private toReplay: AofManifest | null = null;
  private loadCalled = false;
  /** True from load() until start() has opened the files (CONFIG SET appendonly waits for it). */
  private starting = false;
  private unsubscribe: (() => void) | null = null;
  /** Whether the server's durability barrier is ours (while AOF is on). */
  private barrierSet = false;
  private rewrite: RunningRewrite | null = null;
  private cron: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The one background job at a time Redis allows (shared with the rdb plugin's BGSAVE). */
  private readonly child: BackgroundChild;

  rewriteScheduled = false;
  rewrites = 0;
  lastRewriteOk = true;
  consecutiveFailures = 0;
  lastRewriteSeconds = -1;
  /** aof_base_size: the size right after the last rewrite (the growth trigger's reference). */
  rewriteBaseSize = 0;
  private backoffMinutes = 0;
  private backoffUntil = 0;

  constructor(
    private readonly server: ServerContext,
    private readonly logger: Logger,
  ) {
    services.set(server, this);
    this.child = backgroundChildOf(server);
    this.appender = new AofAppender(logger, (message) => this.fatal(message), server.latency);
    this.appender.policy = server.config.get<string>('appendfsync') as FsyncPolicy;
    server.config.onChange('appendonly', (value) => this.onAppendonlyChange(value === true));
    server.config.onChange('appendfsync', (value) => this.setPolicy(String(value) as FsyncPolicy));
    server.info.add('persistence', () => this.infoFields());
    registerDebugLoadAof(server, logger, () => this.reloadFromDisk());
  }

  /**
   * DEBUG LOADAOF (Redis's debug.c): the pending AOF written out, the dataset emptied and the files
   * on disk replayed. The replayed commands are not appended again (the AOF is detached meanwhile).
   */
  async reloadFromDisk(): Promise<void> {
    if (this.starting || this.toReplay !== null) throw new Error('the AOF is still being loaded');
    if (this.state !== 'off') this.appender.flush();
    const dir = this.directory ?? this.makeDirectory();
    const manifest = dir.readManifest() ?? emptyManifest();
    this.loader ??= new AofLoader(this.server, dir, this.logger);
    const attached = this.unsubscribe !== null;
    this.detach();
    this.server.keyspace.flushAll();
    try {
      await this.replay(manifest);
    } finally {
      if (attached) this.attach();
    }
  }

  private get enabledInConfig(): boolean {
    return this.server.config.get<boolean>('appendonly');
  }

  // ---- start and stop ----------------------------------------------------------------------

  /** Checks the files to load (before clients are accepted); true when AOF is on (RDB is skipped). */
  load(): boolean {
    this.loadCalled = true;
    if (!this.enabledInConfig) return false;
    const dir = this.makeDirectory();
    // Redis creates the directory at start when appendonly is yes, and refuses to start if it can't.
    dir.ensure();
    this.migrateOldStyleFile(dir);
    this.manifest = dir.readManifest() ?? emptyManifest();
    this.loader = new AofLoader(this.server, dir, this.logger);
    this.loader.filesOf(this.manifest);
    this.directory = dir;
    this.toReplay = this.manifest;
    this.starting = true;
    return true;
  }

  /** Replays the files (clients get -LOADING meanwhile), then opens the AOF for appending. */
  async start(): Promise<void> {
    if (this.enabledInConfig) {
      this.starting = true;
      try {
        if (this.toReplay !== null) await this.replay(this.toReplay);
        if (this.stopped) return;
        this.openOnStart(!this.loadCalled);
      } catch (e) {
        // SHUTDOWN while loading: nothing to open.
        if (e instanceof LoadAborted && this.stopped) return;
        throw e;
      } finally {
        this.starting = false;
      }
    }
    this.cron = setInterval(this.tick, CRON_MS);
    this.cron.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.loader?.abort();
    if (this.cron !== null) clearInterval(this.cron);
    this.cron = null;
    this.abortRewrite('Shutting down: stopping the AOF rewrite.');
    if (this.state !== 'off') {
      this.logger.notice('Calling fsync() on the AOF file.');
      this.appender.close();
    }
    this.detach();
  }

  private async replay(manifest: AofManifest): Promise<void> {
    const server = this.server;
    const processedBefore = server.stats.totalCommandsProcessed;
    const started = Date.now();
    server.loading = true;
    try {
      const outcome = await this.loader!.load(manifest, server.config.get<boolean>('aof-load-truncated'));
      if (outcome.totalSize > 0) this.logger.notice(`DB loaded from append only file: ${((Date.now() - started) / 1000).toFixed(3)} seconds`);
    } finally {
      // Replayed commands are not commands clients sent; they do count as changes not yet in an
      // RDB (rdb_changes_since_last_save), as in Redis, so save points snapshot them.
      server.stats.totalCommandsProcessed = processedBefore;
      server.loading = false;
      this.toReplay = null;
    }
  }

  /**
   * Redis's aofOpenIfNeededOnServerStart: writes a first base when there is none (or when the data
   * came from another provider), opens the last incremental file for appending, saves the manifest.
   */
  private openOnStart(freshBase: boolean): void {
    const dir = this.directory ?? this.makeDirectory();
    this.directory = dir;
    dir.ensure();
    const m = freshBase ? cloneManifest(dir.readManifest() ?? emptyManifest()) : cloneManifest(this.manifest);
    if (freshBase) {
      if (m.base !== null) m.history.push(asHistory(m.base));
      m.history.push(...m.incr.map(asHistory));
      m.base = null;
      m.incr = [];
    }
    if (m.base === null && m.incr.length === 0) {
      const { writer, rdb } = this.baseWriter(dir);
      const name = dir.baseName(++m.baseSeq, rdb);
      writer.runSync();
      fs.renameSync(writer.path, dir.file(name));
      m.base = { name, seq: m.baseSeq, type: 'b' };
      this.logger.notice(`Creating AOF base file ${name} on server start`);
    }
    const creating = m.incr.length === 0;
    if (creating) m.incr.push({ name: dir.incrName(++m.incrSeq), seq: m.incrSeq, type: 'i' });
    const incr = m.incr[m.incr.length - 1];
    this.appender.open(dir.file(incr.name), false);
    dir.writeManifest(m);
    this.manifest = m;
    this.appender.currentSize = this.sizeOnDisk(m);
    this.rewriteBaseSize = m.base === null ? 0 : Math.max(0, dir.size(m.base.name));
    this.logger.notice(`${creating ? 'Creating' : 'Opening'} AOF incr file ${incr.name} on server start`);
    this.deleteHistory();
    this.state = 'on';
    this.attach();
  }

  // ---- turning AOF on and off at run time ---------------------------------------------------

  private onAppendonlyChange(on: boolean): void {
    if (this.stopped) return;
    if (this.starting) {
      if (!on) throw new Error('appendonly can not be turned off while the AOF is loading');
      return;
    }
    if (on && this.state === 'off') this.enable();
    else if (!on && this.state !== 'off') this.disable();
  }

  /** CONFIG SET appendonly yes: a base is written from the dataset, then the AOF is on. */
  private enable(): void {
    try {
      const dir = this.makeDirectory();
      dir.ensure();
      this.manifest = dir.readManifest() ?? emptyManifest();
      this.directory = dir;
      if (this.rewrite !== null) {
        this.abortRewrite('AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
      }
      this.state = 'wait-rewrite';
      if (this.child.active) {
        // A BGSAVE runs: the first base is written once it is done (nothing to log until then).
        this.rewriteScheduled = true;
        this.logger.notice('AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
        return;
      }
      this.startRewrite();
    } catch (e) {
      this.logger.warning(`Redis needs to enable the AOF but can't trigger a background AOF rewrite operation: ${(e as Error).message}`);
      this.appender.close();
      this.detach();
      this.state = 'off';
      throw new Error('Unable to turn on AOF. Check server logs.');
    }
  }

  /** CONFIG SET appendonly no: flush, fsync and close; the files stay as they are. */
  private disable(): void {
    const enabling = this.rewrite?.enabling === true;
    this.abortRewrite('Killing running AOF rewrite: AOF was turned off.');
    this.appender.close();
    this.detach();
    if (enabling && this.directory !== null) fs.rmSync(this.directory.file(this.directory.tempIncrName), { force: true });
    this.state = 'off';
    this.rewriteScheduled = false;
  }

  private setPolicy(policy: FsyncPolicy): void {
    this.appender.policy = policy;
    if (policy === 'always' && this.appender.isOpen) this.appender.sync();
    this.updateBarrier();
  }

  private attach(): void {
    if (this.unsubscribe === null) this.unsubscribe = this.server.keyspace.feed.subscribe(this.appender.feed);
    this.updateBarrier();
  }

  private detach(): void {
    if (this.unsubscribe !== null) this.unsubscribe();
    this.unsubscribe = null;
    if (this.barrierSet) this.server.setDurabilityBarrier(null);
    this.barrierSet = false;
  }

  /**
   * Replies of a turn leave after that turn's AOF write (and fdatasync under `always`), as Redis
   * writes the AOF before replies in beforeSleep: a crash of the process alone never loses an
   * acknowledged write, whatever the fsync policy.
   */
  private updateBarrier(): void {
    const on = this.state !== 'off';
    if (on === this.barrierSet) return;
    this.server.setDurabilityBarrier(on ? this.barrier : null);
    this.barrierSet = on;
  }

  private readonly barrier = (): void => {
    this.appender.flush();
  };

  // ---- rewrite -----------------------------------------------------------------------------

  /** BGREWRITEAOF: while a BGSAVE runs (Redis's other fork child) it is scheduled for after it. */
  requestRewrite(): RewriteRequest {
    if (this.rewrite !== null) return 'in-progress';
    if (this.child.active) {
      this.rewriteScheduled = true;
      return 'scheduled';
    }
    try {
      this.startRewrite();
      return 'started';
    } catch (e) {
      this.lastRewriteOk = false;
      this.logger.warning(`Can't rewrite append only file in background: ${(e as Error).message}`);
      return 'failed';
    }
  }

  /**
   * Starts a rewrite. In one synchronous step: writes from now on go to a new incremental file
   * (already listed in the manifest), and a point-in-time snapshot is taken; the snapshot is then
   * written as the new base in slices. When AOF is off only a base is written. Holds the
   * background-job slot until the rewrite ends.
   */
  private startRewrite(): void {
    if (!this.child.acquire('aof')) throw new Error('another background operation (a BGSAVE) is running');
    try {
      this.beginRewrite();
    } catch (e) {
      this.child.release('aof');
      throw e;
    }
  }

  private beginRewrite(): void {
    const dir = this.directory ?? this.makeDirectory();
    dir.ensure();
    if (this.state === 'off') {
      this.directory = dir;
      this.manifest = dir.readManifest() ?? emptyManifest();
    }
    const enabling = this.state === 'wait-rewrite';
    if (enabling) {
      // A retry starts over: what the temp file holds is in the new snapshot.
      this.appender.discardPending();
      this.appender.close();
      this.appender.open(dir.file(dir.tempIncrName), true);
      this.attach();
    } else if (this.state === 'on') {
      const m = cloneManifest(this.manifest);
      const name = dir.incrName(++m.incrSeq);
      const file = dir.file(name);
      fs.closeSync(fs.openSync(file, 'w', 0o644));
      m.incr.push({ name, seq: m.incrSeq, type: 'i' });
      try {
        dir.writeManifest(m);
      } catch (e) {
        fs.rmSync(file, { force: true });
        throw e;
      }
      this.appender.open(file, true);
      this.manifest = m;
      this.logger.notice(`Creating AOF incr file ${name} on background rewrite`);
    }
    const { writer, rdb, keys } = this.baseWriter(dir);
    const run: RunningRewrite = { writer, rdb, enabling, startedAt: Date.now() };
    this.rewrite = run;
    this.rewrites++;
    this.rewriteScheduled = false;
    this.logger.notice(`Background append only file rewriting started (${keys} keys${rdb ? ', RDB base' : ''})`);
    writer.run()
      .then(() => this.rewriteDone(run), (e: Error) => this.rewriteFailed(run, e))
      .catch((e: Error) => this.logger.warning(`AOF rewrite bookkeeping failed: ${e.stack ?? e.message}`));
  }

  /** Switches the manifest to the new base (and the new incremental file); old files are deleted. */
  private rewriteDone(run: RunningRewrite): void {
    if (this.rewrite !== run) return;
    const dir = this.directory!;
    const m = cloneManifest(this.manifest);
    if (m.base !== null) m.history.push(asHistory(m.base));
    const baseName = dir.baseName(++m.baseSeq, run.rdb);
    m.base = { name: baseName, seq: m.baseSeq, type: 'b' };
    const basePath = dir.file(baseName);
    const undo: (() => void)[] = [];
    try {
      fs.renameSync(run.writer.path, basePath);
      undo.push(() => fs.rmSync(basePath, { force: true }));
      this.logger.notice(`Successfully renamed the temporary AOF base file ${path.basename(run.writer.path)} into ${baseName}`);
      if (run.enabling) {
        const incrName = dir.incrName(++m.incrSeq);
        fs.renameSync(dir.file(dir.tempIncrName), dir.file(incrName));
        undo.push(() => fs.renameSync(dir.file(incrName), dir.file(dir.tempIncrName)));
        m.incr.push({ name: incrName, seq: m.incrSeq, type: 'i' });
        this.logger.notice(`Successfully renamed the temporary AOF incr file ${dir.tempIncrName} into ${incrName}`);
      }
      // Incremental files the new base covers become history: all but the one being written.
      const keep = this.appender.isOpen ? 1 : 0;
      m.history.push(...m.incr.splice(0, m.incr.length - keep).map(asHistory));
      dir.writeManifest(m);
    } catch (e) {
      for (const step of undo.reverse()) {
        try {
          step();
        } catch {
          // best effort
        }
      }
      this.rewriteFailed(run, e as Error);
      return;
    }
    this.manifest = m;
    this.rewrite = null;
    this.child.release('aof');
    if (this.appender.isOpen) {
      this.appender.currentSize = Math.max(0, dir.size(baseName)) + this.appender.incrSize;
      this.rewriteBaseSize = this.appender.currentSize;
    }
    this.deleteHistory();
    this.lastRewriteOk = true;
    this.consecutiveFailures = 0;
    this.lastRewriteSeconds = Math.round((Date.now() - run.startedAt) / 1000);
    if (run.enabling) this.state = 'on';
    this.logger.notice('Background AOF rewrite finished successfully');
  }

  private rewriteFailed(run: RunningRewrite, error: Error): void {
    fs.rmSync(run.writer.path, { force: true });
    // An aborted rewrite (AOF turned off, shutdown) is not a failure, as in Redis.
    if (this.rewrite !== run) return;
    this.rewrite = null;
    this.child.release('aof');
    this.lastRewriteOk = false;
    this.consecutiveFailures++;
    this.lastRewriteSeconds = Math.round((Date.now() - run.startedAt) / 1000);
    this.logger.warning(`Background AOF rewrite terminated with error: ${error.message}`);
    // Turning AOF on needs a base: try again (the cron backs off after repeated failures).
    if (run.enabling && this.state === 'wait-rewrite') this.rewriteScheduled = true;
  }

  private abortRewrite(reason: string): void {
    const run = this.rewrite;
    if (run === null) return;
    this.rewrite = null;
    this.child.release('aof');
    this.logger.notice(reason);
    run.writer.abort();
  }

  /** History files are no longer needed once the manifest no longer lists them as live. */
  private deleteHistory(): void {
    const dir = this.directory;
    if (dir === null || this.manifest.history.length === 0) return;
    for (const f of this.manifest.history) {
      this.logger.notice(`Removing the history file ${f.name} in the background`);
      fs.unlink(dir.file(f.name), () => undefined);
    }
    this.manifest = { ...this.manifest, history: [] };
    try {
      dir.writeManifest(this.manifest);
    } catch (e) {
      this.logger.warning(`Can't update the AOF manifest after removing history files: ${(e as Error).message}`);
    }
  }

  /** Scheduled rewrites and Redis's growth trigger (auto-aof-rewrite-percentage / -min-size). */
  private readonly tick = (): void => {
    // As Redis's serverCron: nothing starts while a background job (BGSAVE or rewrite) runs.
    if (this.stopped || this.rewrite !== null || this.starting || this.child.active) return;
    if (this.rewriteScheduled) {
      if (this.limited()) return;
      try {
        this.startRewrite();
      } catch (e) {
        this.consecutiveFailures++;
        this.lastRewriteOk = false;
        this.logger.warning(`Can't rewrite append only file in background: ${(e as Error).message}`);
      }
      return;
    }
    if (this.state !== 'on') return;
    const config = this.server.config;
    const percentage = config.get<number>('auto-aof-rewrite-percentage');
    const size = this.appender.currentSize;
    if (percentage <= 0 || size <= config.get<number>('auto-aof-rewrite-min-size')) return;
    const base = this.rewriteBaseSize > 0 ? this.rewriteBaseSize : 1;
    const growth = Math.floor((size * 100) / base) - 100;
    if (growth < percentage || this.limited()) return;
    this.logger.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
    try {
      this.startRewrite();
    } catch (e) {
      this.consecutiveFailures++;
      this.lastRewriteOk = false;
      this.logger.warning(`Can't rewrite append only file in background: ${(e as Error).message}`);
    }
  };

  /** After repeated failures, automatic rewrites wait 1, 2, 4 ... 60 minutes (Redis's aofRewriteLimited). */
  private limited(): boolean {
    if (this.consecutiveFailures < FAILURES_BEFORE_BACKOFF) {
      this.backoffMinutes = 0;
      this.backoffUntil = 0;
      return false;
    }
    const now = Date.now();
    if (this.backoffUntil !== 0) {
      if (now < this.backoffUntil) return true;
      this.backoffUntil = 0;
      return false;
    }
    this.backoffMinutes = Math.min(MAX_BACKOFF_MINUTES, this.backoffMinutes === 0 ? 1 : this.backoffMinutes * 2);
    this.backoffUntil = now + this.backoffMinutes * 60_000;
    this.logger.warning(`Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.backoffMinutes} minutes`);
    return true;
  }

  // ---- helpers ------------------------------------------------------------------------------

  private makeDirectory(): AofDirectory {
    const config = this.server.config;
    return new AofDirectory(config.get<string>('dir'), config.get<string>('appenddirname'), config.get<string>('appendfilename'));
  }

  /**
   * A writer for a new base from a snapshot taken now: RDB when aof-use-rdb-preamble is yes (as
   * Redis 7 names it, `.base.rdb`), commands otherwise.
   */
  private baseWriter(dir: AofDirectory): { writer: BaseWriter; rdb: boolean; keys: number } {
    const { keyspace, dataTypes, config } = this.server;
    const rdb = config.get<boolean>('aof-use-rdb-preamble');
    const snapshot = takeSnapshot(keyspace, dataTypes);
    const functions = this.server.rdbFunctions.codesForSave();
    const encoder = rdb
      ? new RdbBaseEncoder(dataTypes, snapshot.databases, { compression: config.get<boolean>('rdbcompression'), checksum: config.get<boolean>('rdbchecksum') }, functions)
      : new CommandBaseEncoder(dataTypes, functions);
    return { writer: new BaseWriter(snapshot, encoder, dir.rewriteTempPath()), rdb, keys: snapshot.totalKeys };
  }

  /** An `appendonly.aof` from before Redis 7 in `dir` becomes the base of a new manifest. */
  private migrateOldStyleFile(dir: AofDirectory): void {
    const old = path.resolve(dir.workDir, dir.fileName);
    if (!fs.existsSync(old) || !fs.statSync(old).isFile()) return;
    const m = dir.exists() ? dir.readManifest() : null;
    const upgrade = m === null || (m.base === null && m.incr.length === 0)
      || (m.base !== null && m.incr.length === 0 && m.base.name === dir.fileName && dir.size(dir.fileName) < 0);
    if (!upgrade) return;
    dir.ensure();
    const manifest = emptyManifest();
    manifest.base = { name: dir.fileName, seq: 1, type: 'b' };
    manifest.baseSeq = 1;
    dir.writeManifest(manifest);
    fs.renameSync(old, dir.file(dir.fileName));
    this.logger.notice(`Successfully migrated an old-style AOF file (${dir.fileName}) into the AOF directory (${dir.dirName}).`);
  }

  private sizeOnDisk(m: AofManifest): number {
    const dir = this.directory!;
    let total = 0;
    for (const f of m.base === null ? m.incr : [m.base, ...m.incr]) total += Math.max(0, dir.size(f.name));
    return total;
  }

  private fatal(message: string): void {
    this.logger.warning(message);
    process.exit(1);
  }

  // ---- INFO ---------------------------------------------------------------------------------

  private infoFields(): InfoFields {
    const now = Date.now();
    const fields: InfoFields = [
      ['aof_enabled', this.state === 'off' ? 0 : 1],
      ['aof_rewrite_in_progress', this.rewrite === null ? 0 : 1],
      ['aof_rewrite_scheduled', this.rewriteScheduled ? 1 : 0],
      ['aof_last_rewrite_time_sec', this.lastRewriteSeconds],
      ['aof_current_rewrite_time_sec', this.rewrite === null ? -1 : Math.floor((now - this.rewrite.startedAt) / 1000)],
      ['aof_last_bgrewrite_status', this.lastRewriteOk ? 'ok' : 'err'],
      ['aof_rewrites', this.rewrites],
      ['aof_rewrites_consecutive_failures', this.consecutiveFailures],
      ['aof_last_write_status', this.appender.lastWriteOk ? 'ok' : 'err'],
      ['aof_last_cow_size', 0],
    ];
    // Redis prints these while `appendonly` is yes, even before the AOF is open (loading, first base).
    if (this.enabledInConfig) {
      fields.push(
        ['aof_current_size', this.appender.currentSize],
        ['aof_base_size', this.rewriteBaseSize],
        ['aof_pending_rewrite', this.rewriteScheduled ? 1 : 0],
        ['aof_buffer_length', this.appender.bufferedBytes],
        ['aof_pending_bio_fsync', this.appender.fsyncPending ? 1 : 0],
        ['aof_delayed_fsync', 0],
      );
    }
    if (this.server.loading && this.loader !== null && this.toReplay !== null) {
      fields.push(...loadingInfoFields(this.loader.progress, now));
    }
    return fields;
  }
}

function asHistory(f: AofFileInfo): AofFileInfo {
  return { name: f.name, seq: f.seq, type: 'h' };
}
