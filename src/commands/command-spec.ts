import type { CommandFlagName } from './command-flags';
import type { CommandContext } from './command-context';
import type { ArgumentSpec } from './argument-spec';
import type { KeySpec } from './key-specs';
import type { KeyReference } from './command-keys';

/** The groups Redis 7 uses in COMMAND DOCS. */
export type CommandGroup =
  | 'generic' | 'string' | 'list' | 'set' | 'sorted-set' | 'hash' | 'pubsub' | 'transactions'
  | 'connection' | 'server' | 'scripting' | 'hyperloglog' | 'cluster' | 'sentinel' | 'geo'
  | 'stream' | 'bitmap' | 'module';

/** COMMAND DOCS's doc flags. */
export type CommandDocFlag = 'deprecated' | 'syscmd';

/**
 * What COMMAND INFO and COMMAND DOCS say about a command beyond its core spec, as Redis 7.0
 * describes it. Built-in plugins keep these in a `*-docs.ts` file beside their commands and
 * spread them into the `@Command` spec.
 */
export interface CommandDocs {
  /**
   * Where the keys are and how the command uses them (COMMAND INFO's key specs). COMMAND GETKEYS
   * and COMMAND INFO's first/last/step fields are derived from them.
   */
  keySpecs?: readonly KeySpec[];
  /** Hints for clients and proxies: "nondeterministic_output", "request_policy:all_shards", ... */
  tips?: readonly string[];
  /** The argument tree COMMAND DOCS returns (redis-cli builds its hints from it). */
  arguments?: readonly ArgumentSpec[];
  /** [version, change] pairs. */
  history?: readonly (readonly [string, string])[];
  docFlags?: readonly CommandDocFlag[];
  deprecatedSince?: string;
  replacedBy?: string;
}

/**
 * What a command is, as data: the kernel checks arity, flags and authentication from it, and
 * COMMAND INFO/DOCS/GETKEYS are generated from it.
 */
export interface CommandSpec extends CommandDocs {
  /** Lower-case name; a subcommand is written "parent|sub", e.g. "config|get". */
  name: string;
  /** Redis's arity: n means exactly n arguments (name included), -n means at least n. */
  arity: number;
  flags?: readonly CommandFlagName[];
  /**
   * Key positions (1-based argument indexes): first, last (-1 = last argument), step. A shorthand
   * for one plain key spec; when `keySpecs` are given too, they must describe the same range.
   */
  firstKey?: number;
  lastKey?: number;
  keyStep?: number;
  group: CommandGroup;
  /** Redis version that introduced the command. */
  since: string;
  summary: string;
  complexity?: string;
  /**
   * Usage after the command name, as in Redis's docs: "key value [NX|XX] [EX seconds|PX milliseconds]".
   * A shorthand for `arguments`: COMMAND DOCS parses it into an argument tree when `arguments` is absent.
   */
  syntax?: string;
  aclCategories?: readonly string[];
  /**
   * For a command whose flags depend on its arguments (Redis's getCommandFlags: EVAL and FCALL take
   * a script's declared flags): the name of a method of the same module, `(argv) => number`, giving
   * this call's flag bits (`COMMAND_FLAGS`). The dispatcher's checks (read-only replica, OOM, pause,
   * MULTI) use them; COMMAND INFO keeps showing `flags`.
   */
  callFlags?: string;
  /**
   * For a command whose key specs cannot find all its keys (SORT's STORE destination, which may sit
   * anywhere; a spec flagged `incomplete` or `unknown`) or whose key flags depend on the arguments
   * (`variable_flags`: SET ... GET): the keys of one call, argv[0] being the command name, each with
   * its flags, as Redis's getkeys_proc. COMMAND GETKEYS/GETKEYSANDFLAGS and client tracking use it
   * when the key specs cannot answer.
   */
  getKeys?: (argv: readonly Buffer[]) => KeyReference[];
}

/** Gives one call's flag bits (see `CommandSpec.callFlags`). */
export type CallFlagsFunction = (argv: Buffer[]) => number;

/**
 * A command handler: synchronous, replies through the context. `argv[0]` is the command name.
 * The argument Buffers are views of the connection's read buffer, overwritten by the next read:
 * convert (`bytesToString`) or copy (`Buffer.from`) what is kept past the call.
 */
export type CommandHandler = (ctx: CommandContext, argv: Buffer[]) => void;

/** A container command (CONFIG, CLIENT, OBJECT ...) described for COMMAND INFO and DOCS. */
export interface ContainerSpec {
  name: string;
  group: CommandGroup;
  since: string;
  summary: string;
  /** Redis says "Depends on subcommand." */
  complexity?: string;
  flags?: readonly CommandFlagName[];
  /** Redis gives containers "@slow". */
  aclCategories?: readonly string[];
}
