import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { readCommandModule, readProviderMeta } from '../commands/decorators';
import { CommandTableBuilder, type CommandTable } from '../commands/command-table';
import type { CommandContext } from '../commands/command-context';
import type { CallFlagsFunction, CommandHandler } from '../commands/command-spec';
import type { CommandEntry, CommandInfo } from '../commands/command-table';
import { Dispatcher } from '../commands/dispatcher';
import { ConfigStore } from '../config/config-store';
import { CORE_OPTIONS } from '../config/core-options';
import { camelCaseOf, ConfigValueError, type HostPort, type SavePoint } from '../config/option-types';
import { ExpiryCycle } from '../keyspace/expiry-cycle';
import { Keyspace } from '../keyspace/keyspace';
import { MemoryStorageEngine } from '../keyspace/memory-engine';
import { RdbAuxFields } from '../persistence/rdb-aux-fields';
import { RdbFunctions } from '../persistence/rdb-functions';
import type { StorageEngine } from '../keyspace/storage-engine';
import { createLogger, type Logger, type LogLevel } from '../logging/logger';
import { Client, type ClientHost, type ClientKernel } from '../network/client';
import { BlockingService } from './blocking';
import { KeySignals } from './key-signals';
import { KeyspaceNotifier } from './notifications';
import { PubSubRegistry } from './pubsub';
import { OutputLimits } from '../network/output-limits';
import { ClientTracking } from './client-tracking';
import { MonitorFeed } from './monitor-feed';
import { ClientPause } from './client-pause';
import { collectGarbage } from './gc';
import { Slowlog } from './slowlog';
import { Eviction } from './eviction';
import { MemoryAccounting } from './memory-accounting';
import { LatencyMonitor } from './latency-monitor';
import { WatchRegistry } from './watched-keys';
import { ERR_MAX_CLIENTS } from '../protocol/error-replies';
import { PROTECTED_MODE_ERROR, protectedModeRefuses } from '../network/protected-mode';
import { sharedReadsAvailable, startReading } from '../network/shared-read-buffer';
import { DataTypeRegistry } from './data-types';
import { UserError } from './errors';
import { InfoRegistry } from './info-registry';
import { DebugRegistry } from './debug-registry';
import { registerKernelInfo } from './kernel-info';
import { loadPlugins, type LoadedPlugin } from './plugin-loader';
import { releaseTypeScript } from '../config/typescript-loader';
import type { PersistenceProvider, ReplicationProviderApi } from './plugin-api';
import type { ServerContext } from './server-context';
import { ServerStats } from './server-stats';
import { TOKENS } from './tokens';
import type { RedixConfig } from '../config/redix-config';
import { REDIS_VERSION, REDIX_VERSION } from './version';
import { ClientBuffersCron } from '../network/client-buffers-cron';
import { OOM_SCORE_ADJ_FAILED, OomScoreAdjuster } from './oom-score-adj';
import { ReplyBufferSettings } from '../network/reply-buffer-account';

/** Keys of a config object that are not redis.conf options. */
const REDIX_KEYS = new Set(['plugins', 'disablePlugins', 'storage', 'persistence', 'replication']);

export interface ServerOptions {
  /** Path of the config file the settings came from (banner, plugin path resolution). */
  configFile?: string | null;
  /** Directory relative plugin paths resolve from (default: the config file's, else cwd). */
  baseDir?: string;
  /** Log nothing (tests). */
  silent?: boolean;
  /** Install SIGINT/SIGTERM handlers that shut down and exit (the CLI does). */
  handleSignals?: boolean;
  /** Called once the server has fully stopped (the CLI exits the process). */
  onStopped?: () => void;
  /** How long each plugin's setup() may take (default 10 s). */
  pluginSetupTimeoutMs?: number;
}

/**
 * One Redix server. Each has its own child container, keyspace and command table, so several can
 * run in one process (a master and its replica in one test).
 */
export class RedixServer implements ServerContext, ClientHost {
  readonly config = new ConfigStore(CORE_OPTIONS);
  readonly stats = new ServerStats();
  readonly dataTypes: DataTypeRegistry = new DataTypeRegistry(this);
  readonly info = new InfoRegistry();
  readonly debug = new DebugRegistry();
  private cronPausedFlag = false;
  readonly rdbAux = new RdbAuxFields();
  readonly rdbFunctions = new RdbFunctions();
  private lastCron = 0;
  private buffersCron: ClientBuffersCron | null = null;
  /** DEBUG REPLYBUFFER's settings and INFO's reply_buffer_shrinks/expands. */
  readonly replyBuffers = new ReplyBufferSettings();
  readonly runId = randomBytes(20).toString('hex');
  readonly startedAt = Date.now();
  readonly clientMap = new Map<number, Client>();
  loading = false;
  readOnly = false;
  busy: string | null = null;
  diskError: string | null = null;
  denyWrites: string | null = null;
  denyStale: string | null = null;
  latencyTracking = true;
  logger!: Logger;
  keyspace!: Keyspace;
  persistence: PersistenceProvider[] = [];
  replication: ReplicationProviderApi | null = null;
  plugins: LoadedPlugin[] = [];
  commandTable!: CommandTable;
  /** WATCH, blocked clients and keyspace events (created with the keyspace). */
  kernel!: ClientKernel;
  private signals!: KeySignals;
  /** used_memory as maxmemory compares it (see memory-accounting.ts). */
  memory!: MemoryAccounting;
  /** maxmemory and the eviction policies. */
  eviction!: Eviction;

  private readonly container: DependencyContainer = rootContainer.createChildContainer();
  private dispatcher!: Dispatcher;
  private listeners: net.Server[] = [];
  private listenPort = 0;
  private nextClientId = 1;
  private expiry!: ExpiryCycle;
  private cron: NodeJS.Timeout | null = null;
  private barrier: (() => void) | null = null;
  private pendingWrites: Client[] = [];
  private barrierScheduled = false;
  private stopping: Promise<boolean> | null = null;
  private signalHandler: (() => void) | null = null;
  private signalWhileStarting = false;
  /** Set once start() completed: only a server that ran reports having stopped. */
  private started = false;

  constructor(
    private readonly settings: RedixConfig = {},
    private readonly options: ServerOptions = {},
  ) {}

  get context(): ServerContext {
    return this;
  }

  get clients(): ReadonlyMap<number, CommandContext> {
    return this.clientMap;
  }

  get port(): number {
    return this.listenPort;
  }

  get version(): string {
    return REDIX_VERSION;
  }

  /** The config file the settings came from, or '' (INFO config_file). */
  get configFile(): string {
    return this.options.configFile ?? '';
  }

  /** Whether eviction may run now: not loading, no busy script, no pause, not a replica ignoring maxmemory. */
  private evictionSafe: () => boolean = () => true;

  /** Memory in use once booted, before any data or client (INFO used_memory_startup). */
  startupMemory = 0;

  /** Boots: config → plugins → command table → persisted data → listen. */
  async start(): Promise<this> {
    this.applySettings(false);
    this.logger = createLogger({
      level: this.config.get<string>('loglevel') as LogLevel,
      file: this.config.get<string>('logfile') || undefined,
      silent: this.options.silent,
    });
    this.config.onChange('loglevel', (v) => {
      this.logger.level = String(v);
    });
    // As Redis at start: a score /proc refuses is logged, and the server runs on.
    const oom = new OomScoreAdjuster(this.config, this.logger);
    oom.apply();
    const applyOom = (): void => {
      if (!oom.apply()) throw new Error(OOM_SCORE_ADJ_FAILED);
    };
    this.config.onChange('oom-score-adj', applyOom);
    this.config.onChange('oom-score-adj-values', applyOom);
    this.config.onChange('replicaof', () => void oom.apply());
    this.latencyTracking = this.config.get<boolean>('latency-tracking');
    this.config.onChange('latency-tracking', (v) => (this.latencyTracking = v === true));
    this.container.register(TOKENS.Server, { useValue: this });
    this.container.register(TOKENS.Config, { useValue: this.config });
    this.container.register(TOKENS.DataTypes, { useValue: this.dataTypes });
    this.container.register(TOKENS.Info, { useValue: this.info });

    this.plugins = await loadPlugins(this.settings, {
      baseDir: this.options.baseDir ?? (this.options.configFile ? dirnameOf(this.options.configFile) : process.cwd()),
      logger: this.logger,
      container: this.container,
      setupTimeoutMs: this.options.pluginSetupTimeoutMs,
    });
    // Config and plugins are compiled: the TypeScript compiler is not needed until a restart.
    releaseTypeScript();
    const optionOwners = new Map<string, string>();
    for (const plugin of this.plugins) {
      for (const option of plugin.plugin.configOptions ?? []) {
        const owner = optionOwners.get(option.name);
        if (owner !== undefined) throw new UserError(`config option "${option.name}" is defined by both plugin "${owner}" and plugin "${plugin.name}"`);
        try {
          this.config.define(option);
        } catch (e) {
          throw new UserError(`plugin "${plugin.name}": ${(e as Error).message}`);
        }
        optionOwners.set(option.name, plugin.name);
      }
      for (const type of plugin.plugin.dataTypes ?? []) this.dataTypes.register(type, plugin.name);
    }
    this.applySettings(true);

    const engine = this.resolveProvider<StorageEngine>('storage-engine', this.settings.storage ?? 'memory', MemoryStorageEngine);
    const databases = this.config.get<number>('databases');
    this.keyspace = new Keyspace(engine, databases);
    this.memory = new MemoryAccounting(this.keyspace, this.dataTypes, () => {
      let bytes = 0;
      for (const c of this.clientMap.values()) if (!c.isReplica) bytes += c.outputBytes;
      return bytes;
    });
    this.eviction = new Eviction(this.keyspace, this.memory, this.config);
    this.container.register(TOKENS.Keyspace, { useValue: this.keyspace });
    const blocking = new BlockingService(databases);
    const watches = new WatchRegistry(databases);
    const pubsub = new PubSubRegistry();
    const notifier = new KeyspaceNotifier(this.config);
    notifier.publisher = (channel, message) => pubsub.publish(channel, message);
    this.keyspace.notifier = notifier;
    this.signals = new KeySignals(this.keyspace, watches, blocking);
    const tracking = new ClientTracking(this.clientMap, this.signals.update);
    tracking.maxKeys = this.config.get<number>('tracking-table-max-keys');
    this.config.onChange('tracking-table-max-keys', (v) => (tracking.maxKeys = Number(v)));
    this.signals.addListener(tracking);
    this.kernel = {
      blocking, watches, notifier, pubsub, tracking,
      outputLimits: new OutputLimits(this.config),
      monitor: new MonitorFeed(),
      pause: new ClientPause(this.keyspace),
      slowlog: new Slowlog(this.config),
      eviction: this.eviction,
      latency: new LatencyMonitor(this.config),
      inputLimits: { maxBulkLength: this.config.get<number>('proto-max-bulk-len'), maxQueryBuffer: this.config.get<number>('client-query-buffer-limit') },
    };
    const inputLimits = this.kernel.inputLimits;
    // A replica ignoring maxmemory: read from the config on change, not per command.
    let replicaIgnores = false;
    const readReplica = (): void => {
      replicaIgnores = this.config.get<boolean>('replica-ignore-maxmemory') && this.config.get<HostPort | null>('replicaof') !== null;
    };
    readReplica();
    this.config.onChange('replica-ignore-maxmemory', readReplica);
    this.config.onChange('replicaof', readReplica);
    this.evictionSafe = () => !this.loading && this.busy === null && !replicaIgnores && !this.kernel.pause.active;
    this.config.onChange('proto-max-bulk-len', (v) => (inputLimits.maxBulkLength = Number(v)));
    this.config.onChange('client-query-buffer-limit', (v) => (inputLimits.maxQueryBuffer = Number(v)));

    this.commandTable = this.buildCommandTable();
    this.dispatcher = new Dispatcher(this.commandTable, this.keyspace, this, this.stats, this.logger, this.signals, this.kernel);
    registerKernelInfo(this);

    for (const plugin of this.plugins) await plugin.runSetup(this);

    this.persistence = this.selectPersistence();
    const replicationName = this.settings.replication === undefined ? 'redis' : this.settings.replication;
    if (replicationName !== null) {
      const provider = this.findProvider('replication', replicationName);
      if (provider === undefined && this.settings.replication !== undefined) {
        throw new UserError(`replication provider "${replicationName}" is not registered by any loaded plugin`);
      }
      if (provider !== undefined) this.replication = provider.container.resolve(provider.ctor) as ReplicationProviderApi;
    }

    // Boot leaves garbage (compiled plugins, parsed specs): collect it so startup memory is the live part.
    collectGarbage();
    const m = process.memoryUsage();
    this.startupMemory = m.heapUsed + m.external;
    this.memory.startup = this.startupMemory;
    this.eviction.isSafe = this.evictionSafe;
    await this.loadPersistedData();
    await this.listen();
    if (this.options.handleSignals) this.installSignalHandlers();
    this.logBanner();
    for (const p of this.persistence) await p.start();
    // As Redis: logged once the data is loaded (clients connecting meanwhile got -LOADING), so a
    // dump or AOF that cannot be loaded stops the start before it.
    this.logger.notice(`Ready to accept connections tcp on port ${this.listenPort}`);
    if (this.replication !== null) await this.replication.start();
    this.expiry = new ExpiryCycle(this.keyspace, this.config.get<number>('hz'), this.kernel.latency);
    this.expiry.start();
    this.config.onChange('hz', (v) => this.expiry.setHz(Number(v)));
    this.cron = setInterval(() => this.clientsCron(), 1000);
    this.cron.unref();
    this.buffersCron = new ClientBuffersCron(this.clientMap, this.config.get<number>('hz'), this.replyBuffers);
    this.buffersCron.start();
    this.config.onChange('hz', (v) => this.buffersCron?.setHz(Number(v)));
    this.started = true;
    if (this.signalWhileStarting) this.signalHandler?.();
    return this;
  }

  /** Applies settings to the config store; before plugins load, options it does not know yet wait. */
  private applySettings(final: boolean): void {
    for (const [key, value] of Object.entries(this.settings)) {
      if (REDIX_KEYS.has(key) || value === undefined) continue;
      const spec = this.config.spec(key) ?? this.config.spec(kebabCaseOf(key));
      if (spec === undefined) {
        if (final) throw new UserError(`config: unknown option "${key}"`);
        continue;
      }
      if (camelCaseOf(spec.name) !== key && spec.name !== key && !(spec.aliases ?? []).some((a) => a === key || camelCaseOf(a) === key)) {
        if (final) throw new UserError(`config: unknown option "${key}"`);
        continue;
      }
      try {
        this.config.apply(spec.name, value);
      } catch (e) {
        if (e instanceof ConfigValueError) {
          throw new UserError(`config: invalid value for "${key}": ${e.message} (got ${JSON.stringify(value)})`);
        }
        throw e;
      }
    }
  }

  private findProvider(kind: 'storage-engine' | 'persistence' | 'replication', name: string) {
    for (const plugin of this.plugins) {
      for (const ctor of plugin.plugin.providers ?? []) {
        const meta = readProviderMeta(ctor);
        if (meta?.kind === kind && meta.name === name) return { ctor, container: plugin.container };
      }
    }
    return undefined;
  }

  private resolveProvider<T>(kind: 'storage-engine', name: string, builtin: new () => T): T {
    const found = this.findProvider(kind, name);
    if (found !== undefined) return found.container.resolve(found.ctor as unknown as new () => T);
    if (name === 'memory') return new builtin();
    throw new UserError(`storage engine "${name}" is not registered by any loaded plugin`);
  }

  private selectPersistence(): PersistenceProvider[] {
    const explicit = this.settings.persistence;
    const names = explicit ?? ['aof', 'rdb'];
    const providers: PersistenceProvider[] = [];
    for (const name of names) {
      const found = this.findProvider('persistence', name);
      if (found === undefined) {
        if (explicit !== undefined) throw new UserError(`persistence provider "${name}" is not registered by any loaded plugin`);
        continue;
      }
      providers.push(found.container.resolve(found.ctor) as PersistenceProvider);
    }
    return providers;
  }

  private buildCommandTable(): CommandTable {
    const builder = new CommandTableBuilder();
    for (const plugin of this.plugins) {
      for (const moduleClass of plugin.plugin.commands ?? []) {
        const { options, commands } = readCommandModule(moduleClass);
        if (commands.length === 0) {
          throw new UserError(`plugin "${plugin.name}": ${moduleClass.name} has no @Command methods (is it decorated with @CommandModule?)`);
        }
        const instance = plugin.container.resolve(moduleClass as unknown as new () => Record<string | symbol, unknown>);
        for (const container of options.containers ?? []) builder.addContainer(container, plugin.name);
        for (const { spec, method } of commands) {
          const fn = instance[method];
          if (typeof fn !== 'function') throw new UserError(`plugin "${plugin.name}": ${String(method)} is not a method`);
          let callFlags: CallFlagsFunction | null = null;
          if (spec.callFlags !== undefined) {
            const flagsFn = instance[spec.callFlags];
            if (typeof flagsFn !== 'function') throw new UserError(`plugin "${plugin.name}": callFlags ${spec.callFlags} of ${spec.name} is not a method`);
            callFlags = (flagsFn as CallFlagsFunction).bind(instance);
          }
          try {
            builder.add(spec, (fn as CommandHandler).bind(instance), plugin.name, callFlags);
          } catch (e) {
            throw new UserError(`plugin "${plugin.name}": ${(e as Error).message}`);
          }
        }
      }
    }
    return builder.build();
  }

  private async loadPersistedData(): Promise<void> {
    for (const provider of this.persistence) {
      if (await provider.load()) break;
    }
  }

  // ---- network -----------------------------------------------------------------------------

  private async listen(): Promise<void> {
    const { servers, port } = await this.openListeners(this.config.get<string>('bind'), this.config.get<number>('port'));
    this.listeners = servers;
    this.listenPort = port;
    // With port 0 a free port was picked: CONFIG GET port tells which, as Redis's reports its own.
    if (this.config.get<number>('port') !== port) this.config.apply('port', port);
  }

  /** One listener per bind address, all on one port (0: a free one, then the same for the others). */
  private async openListeners(bind: string, requestedPort: number): Promise<{ servers: net.Server[]; port: number }> {
    // As Redis: no address means every interface ("* -::*"); "*" is any IPv4 address, "::*" any IPv6 one.
    const given = bind.split(/\s+/).filter((b) => b !== '');
    const binds = given.length === 0 ? ['*', '-::*'] : given;
    const servers: net.Server[] = [];
    let port = requestedPort;
    for (const raw of binds) {
      const optional = raw.startsWith('-');
      const named = optional ? raw.slice(1) : raw;
      const host = named === '*' ? '0.0.0.0' : named === '::*' ? '::' : named;
      // Paused until accept() chose how the socket is read (the shared read buffer).
      const server = net.createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket));
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ port, host, exclusive: true, ipv6Only: host === '::' }, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (optional && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
        for (const s of servers) s.close();
        throw new UserError(`could not listen on ${host}:${port}: ${(e as Error).message}`);
      }
      port = (server.address() as net.AddressInfo).port;
      servers.push(server);
    }
    if (servers.length === 0) throw new UserError(`could not listen on any of: ${binds.join(' ')}`);
    return { servers, port };
  }

  /**
   * CONFIG SET port/bind: listens where the config now says, as Redis does live. The old
   * listeners close first (the new ones may reuse an address); if the new ones cannot be opened,
   * the old address is listened on again and the error is logged. Resolves false on failure.
   */
  async relisten(previous: { port: number; bind: string }): Promise<boolean> {
    const bind = this.config.get<string>('bind');
    const port = this.config.get<number>('port');
    if (bind === previous.bind && port === previous.port) return true;
    // close() stops accepting at once; its callback would wait for every client to leave.
    for (const s of this.listeners) s.close();
    this.listeners = [];
    try {
      const opened = await this.openListeners(bind, port);
      this.listeners = opened.servers;
      this.listenPort = opened.port;
      if (port !== opened.port) this.config.apply('port', opened.port);
      this.logger.notice(`Listening on ${bind} port ${opened.port} (CONFIG SET)`);
      return true;
    } catch (e) {
      this.logger.warning(`CONFIG SET: ${(e as Error).message}; still on ${previous.bind} port ${this.listenPort}`);
      try {
        this.listeners = (await this.openListeners(previous.bind, this.listenPort)).servers;
      } catch (again) {
        this.logger.warning(`Could not listen again on ${previous.bind} port ${this.listenPort}: ${(again as Error).message}`);
      }
      return false;
    }
  }

  private accept(socket: net.Socket): void {
    if (this.clientMap.size >= this.config.get<number>('maxclients')) {
      this.stats.rejectedConnections++;
      refuse(socket, '-' + ERR_MAX_CLIENTS + '\r\n');
      return;
    }
    if (protectedModeRefuses(this.config.get<boolean>('protected-mode'), this.config.get<string>('requirepass') !== '', socket.remoteAddress)) {
      this.stats.rejectedConnections++;
      refuse(socket, PROTECTED_MODE_ERROR);
      return;
    }
    // Counted once accepted, as Redis's total_connections_received.
    this.stats.totalConnectionsReceived++;
    socket.setNoDelay(true);
    const keepalive = this.config.get<number>('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    const client = new Client(this, this.nextClientId++, socket, { authenticated: this.config.get<string>('requirepass') === '' });
    this.clientMap.set(client.id, client);
    socket.on('error', () => client.kill());
    socket.on('close', () => client.kill());
    client.parser.transientInput = startReading(socket, client.onData);
  }

  dispatch(client: Client, argv: Buffer[]): void {
    this.dispatcher.execute(client, argv);
  }

  execute(client: CommandContext, argv: Buffer[]): void {
    this.dispatcher.execute(client as Client, argv);
  }

  /** EXEC: runs the client's queued commands as one transaction. */
  runTransaction(client: Client): void {
    this.dispatcher.runTransaction(client);
  }

  collectGarbage(): boolean {
    return collectGarbage();
  }

  notifyKeyspaceEvent(type: number, event: string, key: string, dbIndex: number): void {
    this.kernel.notifier.emit(type, event, key, dbIndex);
  }

  batchDone(client: Client): void {
    if (this.barrier === null) {
      client.flush();
      return;
    }
    if (!client.queuedForWrite) {
      client.queuedForWrite = true;
      this.pendingWrites.push(client);
    }
    if (!this.barrierScheduled) {
      this.barrierScheduled = true;
      setImmediate(this.runBarrier);
    }
  }

  deferWrite(client: Client): void {
    if (!client.queuedForWrite) {
      client.queuedForWrite = true;
      this.pendingWrites.push(client);
    }
    if (!this.barrierScheduled) {
      this.barrierScheduled = true;
      setImmediate(this.runBarrier);
    }
  }

  /** Group commit: one barrier (e.g. AOF write + fsync) for every client served this turn. */
  private readonly runBarrier = (): void => {
    this.barrierScheduled = false;
    const clients = this.pendingWrites;
    this.pendingWrites = [];
    try {
      this.barrier?.();
    } catch (e) {
      this.logger.warning(`Durability barrier failed: ${(e as Error).message}`);
    }
    for (const c of clients) c.flush();
  };

  setDurabilityBarrier(barrier: (() => void) | null): void {
    this.barrier = barrier;
    if (barrier === null && this.pendingWrites.length > 0) this.runBarrier();
  }

  /** Writes a client's pending replies now (for replies produced outside a request batch). */
  flushClient(client: CommandContext): void {
    this.batchDone(client as Client);
  }

  clientClosed(client: Client): void {
    this.clientMap.delete(client.id);
  }

  createInternalClient(options: { masterLink?: boolean; keepReplies?: boolean; script?: boolean } = {}): CommandContext {
    const client = new Client(this, this.nextClientId++, null, { authenticated: true, masterLink: options.masterLink, script: options.script });
    if (options.keepReplies === true) client.reply.muted = false;
    return client;
  }

  lookupCommand(argv: readonly Buffer[]): CommandInfo | undefined {
    return this.commandTable.resolve(argv);
  }

  countRejectedCall(cmd: CommandInfo): void {
    (cmd as CommandEntry).stats.rejected++;
    this.stats.errorsAccounted = this.stats.totalErrorReplies;
  }

  /** Once a second: idle timeouts (Redis's clientsCron). */
  get latency(): LatencyMonitor {
    return this.kernel.latency;
  }

  get cronPaused(): boolean {
    return this.cronPausedFlag;
  }

  set cronPaused(paused: boolean) {
    this.cronPausedFlag = paused;
    this.expiry.paused = paused;
    if (this.buffersCron !== null) this.buffersCron.paused = paused;
  }

  private clientsCron(): void {
    if (this.cronPausedFlag) return;
    // The cron's own lateness is the event loop's: a turn that held it (a big DEL, a GC pause).
    const now = performance.now();
    if (this.lastCron !== 0) this.kernel.latency.addSampleIfNeeded('event-loop', now - this.lastCron - 1000);
    this.lastCron = now;
    // tracking-table-max-keys lowered by CONFIG SET is enforced even while no command runs (Redis's serverCron).
    const tracking = this.kernel.tracking;
    if (tracking.trackingClients > 0) tracking.enforceLimit();
    const timeout = this.config.get<number>('timeout');
    if (timeout <= 0) return;
    const deadline = Date.now() - timeout * 1000;
    for (const client of this.clientMap.values()) {
      // As Redis: replicas, our master, blocked and subscribed clients are never idle.
      if (client.lastInteraction < deadline && !client.isMasterLink && !client.isReplica && client.blockState === null && !client.subscribed) client.kill();
    }
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  private logBanner(): void {
    const log = this.logger;
    log.notice(`Redix ${REDIX_VERSION} (Redis ${REDIS_VERSION} compatible), pid=${process.pid}, just started`);
    log.notice(this.options.configFile ? `Configuration loaded from ${this.options.configFile}` : 'No config file found, using the default config');
    log.notice(`Plugins loaded: ${this.plugins.map((p) => p.name).join(', ')}`);
    log.notice(`Commands: ${this.commandTable.size}; storage engine: ${this.settings.storage ?? 'memory'}; persistence: ${this.persistence.length === 0 ? 'none' : (this.settings.persistence ?? ['aof', 'rdb']).join(', ')}`);
    // Visible, since it costs about a quarter more CPU per request (bench/README.md).
    if (!sharedReadsAvailable()) log.notice("Client connections are read through stream 'data' events, not the shared read buffer");
  }

  private installSignalHandlers(): void {
    this.removeSignalHandlers();
    this.signalHandler = () => {
      // Clients can connect once we listen; a signal before the start finishes waits for it.
      if (!this.started) {
        this.signalWhileStarting = true;
        this.installSignalHandlers();
        return;
      }
      this.logger.warning('Received shutdown signal, scheduling shutdown...');
      void this.tryShutdown().then((stopped) => {
        // As Redis: a signal whose shutdown was refused (the final save failed) leaves us running.
        if (!stopped) this.installSignalHandlers();
      });
    };
    process.once('SIGINT', this.signalHandler);
    process.once('SIGTERM', this.signalHandler);
  }

  /**
   * Stops accepting, lets providers flush, closes clients. Resolves true once stopped, or false
   * when a provider's final save failed and the shutdown was refused (not with `force`): the
   * server then keeps running, as Redis does. Idempotent while a shutdown is in progress.
   */
  tryShutdown(options: { save?: boolean; nosave?: boolean; force?: boolean } = {}): Promise<boolean> {
    if (this.stopping === null) {
      const stopping = this.doShutdown(options);
      this.stopping = stopping;
      void stopping.then((stopped) => {
        if (!stopped && this.stopping === stopping) this.stopping = null;
      });
    }
    return this.stopping;
  }

  /** tryShutdown for callers that only wait (tests, embedding programs, a failed start). */
  async shutdown(options: { save?: boolean; nosave?: boolean; force?: boolean } = {}): Promise<void> {
    await this.tryShutdown(options);
  }

  private async doShutdown(options: { save?: boolean; nosave?: boolean; force?: boolean }): Promise<boolean> {
    // A start that failed has its one error line; no shutdown chatter after it.
    if (this.started) this.logger.notice('User requested shutdown...');
    // No client command may run after the final save (its write would be acknowledged, then lost).
    const suspended = this.suspendClients();
    const savePointsSet = this.config.get<SavePoint[]>('save').length > 0;
    const stopOptions = { save: options.save === true || (savePointsSet && options.nosave !== true), nosave: options.nosave === true };
    await this.replication?.prepareShutdown?.();
    if (!(await this.prepareProvidersForShutdown(stopOptions, options.force === true))) {
      for (const client of suspended) client.resumeReading();
      return false;
    }
    this.removeSignalHandlers();
    const closing = this.closeListeners();
    this.expiry?.stop();
    this.kernel?.blocking.stop();
    this.kernel?.pause.stop();
    this.eviction?.stop();
    if (this.cron !== null) clearInterval(this.cron);
    this.buffersCron?.stop();
    if (this.replication !== null) await this.replication.stop();
    for (const p of this.persistence) {
      // A provider that took its final snapshot in prepareShutdown is not asked to save again.
      await p.stop(p.prepareShutdown === undefined ? stopOptions : { save: false, nosave: stopOptions.nosave });
    }
    for (const plugin of this.plugins) await plugin.plugin.stop?.({ server: this });
    for (const client of [...this.clientMap.values()]) {
      client.flush();
      client.kill();
    }
    await closing;
    if (this.started) this.logger.notice('Redix is now ready to exit, bye bye...');
    if (this.started) this.options.onStopped?.();
    return true;
  }

  private removeSignalHandlers(): void {
    if (this.signalHandler === null) return;
    process.off('SIGINT', this.signalHandler);
    process.off('SIGTERM', this.signalHandler);
    this.signalHandler = null;
  }

  /** Pauses reading from every client but the replication links; returns them for resuming. */
  private suspendClients(): Client[] {
    const suspended: Client[] = [];
    for (const client of this.clientMap.values()) {
      if (client.isReplica || client.isMasterLink) continue;
      client.suspendReading();
      suspended.push(client);
    }
    return suspended;
  }

  /** Runs every provider's final save; false when one failed and the shutdown is refused. */
  private async prepareProvidersForShutdown(options: { save: boolean; nosave: boolean }, force: boolean): Promise<boolean> {
    let failed = false;
    for (const p of this.persistence) {
      if (p.prepareShutdown === undefined) continue;
      try {
        await p.prepareShutdown(options);
      } catch (e) {
        this.logger.warning(`Error preparing persistence for shutdown: ${(e as Error).message}`);
        failed = true;
      }
    }
    if (!failed) return true;
    if (force) {
      this.logger.warning('Error trying to save the DB. Exit anyway.');
      return true;
    }
    this.logger.warning('Errors trying to shut down the server. Check the logs for more information.');
    return false;
  }

  private async closeListeners(): Promise<void> {
    const listeners = this.listeners;
    this.listeners = [];
    await Promise.all(listeners.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** Answers a connection that is not accepted, and reads on so its close is seen. */
function refuse(socket: net.Socket, reply: string): void {
  socket.on('error', () => socket.destroy());
  socket.end(reply);
  socket.resume();
}

function dirnameOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? '.' : file.slice(0, i);
}

function kebabCaseOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}


/** Creates and starts a server: the programmatic entry point. */
export async function startServer(settings: RedixConfig = {}, options: ServerOptions = {}): Promise<RedixServer> {
  const server = new RedixServer(settings, options);
  try {
    return await server.start();
  } catch (e) {
    await server.shutdown().catch(() => undefined);
    throw e;
  }
}
