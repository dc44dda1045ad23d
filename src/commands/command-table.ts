import { flagBits, implicitAclCategories } from './command-flags';
import type { CallFlagsFunction, CommandHandler, CommandSpec, ContainerSpec } from './command-spec';
import type { ArgumentSpec } from './argument-spec';
import { keySpecsOf, legacyKeyRange } from './key-specs';
import type { LatencyHistogram } from './latency-histogram';

/** What plugins may read of a command: its name, arity, flag bits (COMMAND_FLAGS) and spec. */
export interface CommandInfo {
  readonly fullName: string;
  readonly arity: number;
  readonly flags: number;
  readonly spec: CommandSpec | ContainerSpec;
  /** Name of the plugin that contributed it. */
  readonly plugin: string;
  /** Its ACL categories: the spec's `aclCategories`, or those its flags imply (as Redis derives them). */
  readonly aclCategories: readonly string[];
}

/** One row of the frozen command table: fixed shape, everything the dispatcher checks. */
export interface CommandEntry extends CommandInfo {
  readonly name: string;
  /** "config|get" for a subcommand, the name otherwise (what arity errors quote). */
  readonly fullName: string;
  readonly arity: number;
  readonly flags: number;
  readonly handler: CommandHandler | null;
  readonly spec: CommandSpec | ContainerSpec;
  /** Subcommands by lower-case name, or null for a plain command. */
  readonly subcommands: Map<string, CommandEntry> | null;
  /** Name of the plugin that contributed it. */
  readonly plugin: string;
  /** Counters for INFO commandstats (the entry is frozen; this object is not). */
  readonly stats: CommandCallStats;
  /** What it does inside MULTI: queued (most commands), run at once (DISCARD, WATCH, QUIT...), or EXEC. */
  readonly inMulti: 'queue' | 'run' | 'exec';
  /** This call's flags when they depend on the arguments (EVAL, FCALL), else null: use `flags`. */
  readonly callFlags: CallFlagsFunction | null;
}

/** The commands Redis runs at once inside MULTI instead of queueing them (processCommand). */
const RUN_IN_MULTI = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

function inMultiOf(fullName: string): CommandEntry['inMulti'] {
  return fullName === 'exec' ? 'exec' : RUN_IN_MULTI.has(fullName) ? 'run' : 'queue';
}

/** Per-command counters, as Redis keeps them (calls, rejected_calls, failed_calls, usec, latency). */
export interface CommandCallStats {
  calls: number;
  /** Refused before the handler ran (arity, NOAUTH, READONLY...). */
  rejected: number;
  /** The handler ran and replied with an error. */
  failed: number;
  /** Calls whose duration was measured (one in TIMED_CALL_EVERY), and their whole microseconds. */
  timedCalls: number;
  timedUsec: number;
  /** Durations of the timed calls, for INFO latencystats (null until the first one). */
  latency: LatencyHistogram | null;
}

/**
 * One call in this many is timed (the first of each command included): two clock reads cost about
 * as much as a small command, so INFO's usec is scaled from the timed calls.
 */
export const TIMED_CALL_EVERY = 16;

export function newCallStats(): CommandCallStats {
  return { calls: 0, rejected: 0, failed: 0, timedCalls: 0, timedUsec: 0, latency: null };
}

/** Builds the table at boot; frozen before the first client connects. */
export class CommandTableBuilder {
  private readonly entries = new Map<string, CommandEntry>();
  private readonly containers = new Map<string, { spec: ContainerSpec; subs: Map<string, CommandEntry>; plugin: string }>();

  addContainer(spec: ContainerSpec, plugin: string): void {
    const name = spec.name.toLowerCase();
    const existing = this.containers.get(name);
    if (existing !== undefined) {
      existing.spec = { ...existing.spec, ...spec };
      return;
    }
    this.containers.set(name, { spec, subs: new Map(), plugin });
  }

  add(spec: CommandSpec, handler: CommandHandler, plugin: string, callFlags: CallFlagsFunction | null = null): void {
    const fullName = spec.name.toLowerCase();
    validateSpec(spec);
    const bar = fullName.indexOf('|');
    const entry: CommandEntry = {
      name: bar < 0 ? fullName : fullName.slice(bar + 1),
      fullName,
      arity: spec.arity,
      flags: flagBits(spec.flags),
      aclCategories: spec.aclCategories ?? implicitAclCategories(flagBits(spec.flags)),
      handler,
      spec,
      subcommands: null,
      plugin,
      stats: newCallStats(),
      inMulti: inMultiOf(fullName),
      callFlags,
    };
    if (bar < 0) {
      if (this.entries.has(fullName)) {
        const owner = this.entries.get(fullName)!.plugin;
        throw new Error(`command "${fullName}" is already defined by plugin "${owner}"`);
      }
      this.entries.set(fullName, entry);
      return;
    }
    const parent = fullName.slice(0, bar);
    if (!this.containers.has(parent)) {
      this.addContainer({ name: parent, group: spec.group, since: spec.since, summary: `A container for ${parent.toUpperCase()} commands.` }, plugin);
    }
    const container = this.containers.get(parent)!;
    if (container.subs.has(entry.name)) throw new Error(`command "${fullName}" is defined twice`);
    container.subs.set(entry.name, entry);
  }

  build(): CommandTable {
    const all = new Map(this.entries);
    for (const [name, c] of this.containers) {
      // A container may also run on its own (plain COMMAND): then it takes that command's arity and handler.
      const plain = this.entries.get(name);
      all.set(name, {
        name, fullName: name, arity: plain?.arity ?? -2, flags: plain?.flags ?? flagBits(c.spec.flags),
        aclCategories: plain?.aclCategories ?? c.spec.aclCategories ?? implicitAclCategories(flagBits(c.spec.flags)),
        handler: plain?.handler ?? null, spec: plain?.spec ?? c.spec, subcommands: c.subs, plugin: c.plugin,
        stats: plain?.stats ?? newCallStats(),
        inMulti: 'queue',
        callFlags: plain?.callFlags ?? null,
      });
    }
    return new CommandTable(all);
  }
}

function validateSpec(spec: CommandSpec): void {
  if (!/^[a-z0-9_.-]+(\|[a-z0-9_.-]+)?$/i.test(spec.name)) throw new Error(`invalid command name "${spec.name}"`);
  if (!Number.isInteger(spec.arity) || spec.arity === 0) throw new Error(`command "${spec.name}": arity must be a non-zero integer`);
  if (!spec.group || !spec.since || !spec.summary) throw new Error(`command "${spec.name}": group, since and summary are required`);
  if (spec.keySpecs !== undefined && spec.firstKey !== undefined) {
    // Both forms given: the shorthand must say what the key specs say.
    const derived = legacyKeyRange(spec.keySpecs).join(',');
    const declared = legacyKeyRange(keySpecsOf({ ...spec, keySpecs: undefined })).join(',');
    if (derived !== declared) throw new Error(`command "${spec.name}": firstKey/lastKey/keyStep (${declared}) disagree with its key specs (${derived})`);
  }
  const keySpecCount = keySpecsOf(spec).length;
  const checkKeyArguments = (args: readonly ArgumentSpec[]): void => {
    for (const a of args) {
      if (a.type === 'key' && (a.keySpecIndex ?? 0) >= Math.max(keySpecCount, 1)) throw new Error(`command "${spec.name}": argument "${a.name}" names key spec ${a.keySpecIndex}, which does not exist`);
      if (a.arguments) checkKeyArguments(a.arguments);
    }
  };
  if (spec.arguments !== undefined) checkKeyArguments(spec.arguments);
}

/** Lookup by name without allocating: exact, upper-case and lower-case spellings are all indexed. */
export class CommandTable {
  private readonly lookupMap = new Map<string, CommandEntry>();

  constructor(readonly commands: ReadonlyMap<string, CommandEntry>) {
    for (const [name, entry] of commands) {
      this.lookupMap.set(name, entry);
      this.lookupMap.set(name.toUpperCase(), entry);
      Object.freeze(entry);
    }
  }

  lookup(name: Buffer): CommandEntry | undefined {
    const s = name.latin1Slice(0, name.length);
    return this.lookupMap.get(s) ?? this.lookupMap.get(s.toLowerCase());
  }

  get(name: string): CommandEntry | undefined {
    return this.commands.get(name.toLowerCase());
  }

  /** The entry an argument vector runs (a container's subcommand when it has one), or undefined. */
  resolve(argv: readonly Buffer[]): CommandEntry | undefined {
    if (argv.length === 0) return undefined;
    const cmd = this.lookup(argv[0]);
    if (cmd === undefined || cmd.subcommands === null || argv.length < 2) return cmd;
    return cmd.subcommands.get(argv[1].latin1Slice(0, argv[1].length).toLowerCase());
  }

  get size(): number {
    return this.commands.size;
  }

  /** Every runnable entry, subcommands included (INFO commandstats, CONFIG RESETSTAT). */
  *allEntries(): IterableIterator<CommandEntry> {
    for (const entry of this.commands.values()) {
      yield entry;
      if (entry.subcommands !== null) yield* entry.subcommands.values();
    }
  }
}
