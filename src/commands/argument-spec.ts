/** The argument types COMMAND DOCS names. */
export type ArgumentType = 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';

/**
 * One node of a command's argument tree, as COMMAND DOCS returns it: a plain argument, a
 * keyword (`pure-token`), alternatives (`oneof`) or a group (`block`) of sub-arguments.
 */
export interface ArgumentSpec {
  /** Identifies the argument; not what the usage line shows for it. */
  name: string;
  type: ArgumentType;
  /** The key spec (COMMAND INFO) a `key` argument is described by. */
  keySpecIndex?: number;
  /** The keyword written before the value ("EX" in `EX seconds`), or the keyword itself for a pure token. */
  token?: string;
  summary?: string;
  /** Redis version that added this argument. */
  since?: string;
  deprecatedSince?: string;
  optional?: boolean;
  multiple?: boolean;
  /** With `multiple`: the token is repeated before each value (`ID a ID b`), not written once. */
  multipleToken?: boolean;
  /** The sub-arguments of a `oneof` or `block`. */
  arguments?: readonly ArgumentSpec[];
}

/**
 * The usage line of an argument tree, as redis-cli shows it: "key value [NX|XX] [GET]".
 * (Generated documentation uses it; redis-cli builds the same from COMMAND DOCS.)
 */
export function usageLine(args: readonly ArgumentSpec[]): string {
  return args.map((a) => usageOf(a)).join(' ');
}

function usageOf(a: ArgumentSpec, inOneof = false): string {
  let text = bare(a);
  if (a.multiple) {
    const again = a.multipleToken || a.token === undefined ? text : bareValue(a);
    text = `${text} [${again} ...]`;
  }
  if (a.optional) return `[${text}]`;
  // A group of several words inside alternatives is parenthesised to read unambiguously.
  if (inOneof && a.type === 'block' && (a.arguments?.length ?? 0) > 1) return `(${text})`;
  return text;
}

function bare(a: ArgumentSpec): string {
  if (a.type === 'pure-token') return a.token ?? a.name;
  const value = bareValue(a);
  return a.token === undefined ? value : `${a.token} ${value}`;
}

function bareValue(a: ArgumentSpec): string {
  if (a.type === 'oneof') return (a.arguments ?? []).map((s) => usageOf(s, true)).join('|');
  if (a.type === 'block') return (a.arguments ?? []).map((s) => usageOf(s)).join(' ');
  return a.name;
}
