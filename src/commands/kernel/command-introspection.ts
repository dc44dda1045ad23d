/**
 * COMMAND INFO and COMMAND DOCS replies generated from the command specs, field for field in
 * the order and with the reply types Redis 7.0 uses (sets and maps show in RESP3).
 */
import type { CommandContext } from '../command-context';
import { flagNames } from '../command-flags';
import type { CommandSpec, ContainerSpec } from '../command-spec';
import type { CommandEntry } from '../command-table';
import type { ArgumentSpec } from '../argument-spec';
import { KEY_SPEC_FLAGS, keySpecsOf, legacyKeyRange, type KeySpec } from '../key-specs';
import { parseSyntax } from '../command-syntax';

type AnySpec = CommandSpec | ContainerSpec;

/** A container's spec has no key or docs fields; read them as absent. */
function asCommand(spec: AnySpec): Partial<CommandSpec> {
  return spec as Partial<CommandSpec>;
}

export function keySpecsOfEntry(entry: CommandEntry): readonly KeySpec[] {
  return keySpecsOf(asCommand(entry.spec));
}

/** COMMAND INFO's 10-element description. */
export function writeCommandInfo(c: CommandContext, entry: CommandEntry): void {
  const r = c.reply;
  const spec = asCommand(entry.spec);
  const keySpecs = keySpecsOfEntry(entry);
  const [first, last, step] = legacyKeyRange(keySpecs);
  r.array(10);
  r.bulk(entry.fullName);
  r.integer(entry.arity);
  statusSet(c, flagNames(entry.flags));
  r.integer(first);
  r.integer(last);
  r.integer(step);
  statusSet(c, entry.aclCategories);
  const tips = spec.tips ?? [];
  r.set(tips.length);
  for (const t of tips) r.bulk(t);
  r.set(keySpecs.length);
  for (const k of keySpecs) writeKeySpec(c, k);
  if (entry.subcommands === null) {
    r.set(0); // what Redis sends for a command without subcommands
    return;
  }
  r.array(entry.subcommands.size);
  for (const sub of entry.subcommands.values()) writeCommandInfo(c, sub);
}

function statusSet(c: CommandContext, names: readonly string[]): void {
  c.reply.set(names.length);
  for (const n of names) c.reply.status(n);
}

function writeKeySpec(c: CommandContext, k: KeySpec): void {
  const r = c.reply;
  r.map(k.notes === undefined ? 3 : 4);
  if (k.notes !== undefined) {
    r.bulk('notes');
    r.bulk(k.notes);
  }
  r.bulk('flags');
  statusSet(c, KEY_SPEC_FLAGS.filter((f) => k.flags.includes(f)));
  r.bulk('begin_search');
  r.map(2);
  r.bulk('type');
  if (k.beginSearch === 'unknown') {
    r.bulk('unknown');
    r.bulk('spec');
    r.map(0);
  } else if ('index' in k.beginSearch) {
    r.bulk('index');
    r.bulk('spec');
    r.map(1);
    r.bulk('index');
    r.integer(k.beginSearch.index);
  } else {
    r.bulk('keyword');
    r.bulk('spec');
    r.map(2);
    r.bulk('keyword');
    r.bulk(k.beginSearch.keyword);
    r.bulk('startfrom');
    r.integer(k.beginSearch.startFrom);
  }
  r.bulk('find_keys');
  r.map(2);
  r.bulk('type');
  if (k.findKeys === 'unknown') {
    r.bulk('unknown');
    r.bulk('spec');
    r.map(0);
  } else if ('lastKey' in k.findKeys) {
    r.bulk('range');
    r.bulk('spec');
    r.map(3);
    r.bulk('lastkey');
    r.integer(k.findKeys.lastKey);
    r.bulk('keystep');
    r.integer(k.findKeys.keyStep);
    r.bulk('limit');
    r.integer(k.findKeys.limit);
  } else {
    r.bulk('keynum');
    r.bulk('spec');
    r.map(3);
    r.bulk('keynumidx');
    r.integer(k.findKeys.keyNumIndex);
    r.bulk('firstkey');
    r.integer(k.findKeys.firstKey);
    r.bulk('keystep');
    r.integer(k.findKeys.keyStep);
  }
}

/** The argument tree of a spec: its own, or parsed from its usage line. */
export function argumentsOf(spec: AnySpec): readonly ArgumentSpec[] | null {
  const s = asCommand(spec);
  if (s.arguments !== undefined) return s.arguments;
  return s.syntax ? parseSyntax(s.syntax) : null;
}

/** COMMAND DOCS's map for one command. */
export function writeCommandDocs(c: CommandContext, entry: CommandEntry): void {
  const r = c.reply;
  const spec = asCommand(entry.spec);
  const subs = entry.subcommands === null ? [] : [...entry.subcommands.values()];
  const args = argumentsOf(entry.spec);
  const optional = [spec.complexity, spec.docFlags, spec.deprecatedSince, spec.replacedBy, spec.history, args, subs.length > 0 ? subs : null];
  r.map(3 + optional.filter((x) => x !== undefined && x !== null).length);
  r.bulk('summary');
  r.bulkText(spec.summary!);
  r.bulk('since');
  r.bulk(spec.since!);
  r.bulk('group');
  r.bulk(spec.group!);
  if (spec.complexity !== undefined) {
    r.bulk('complexity');
    r.bulkText(spec.complexity);
  }
  if (spec.docFlags !== undefined) {
    r.bulk('doc_flags');
    statusSet(c, (['deprecated', 'syscmd'] as const).filter((f) => spec.docFlags!.includes(f)));
  }
  if (spec.deprecatedSince !== undefined) {
    r.bulk('deprecated_since');
    r.bulk(spec.deprecatedSince);
  }
  if (spec.replacedBy !== undefined) {
    r.bulk('replaced_by');
    r.bulkText(spec.replacedBy);
  }
  if (spec.history !== undefined) {
    r.bulk('history');
    r.set(spec.history.length);
    for (const [version, change] of spec.history) {
      r.array(2);
      r.bulk(version);
      r.bulkText(change);
    }
  }
  if (args !== null) {
    r.bulk('arguments');
    writeArguments(c, args);
  }
  if (subs.length > 0) {
    r.bulk('subcommands');
    r.map(subs.length);
    for (const sub of subs) {
      r.bulk(sub.fullName);
      writeCommandDocs(c, sub);
    }
  }
}

function writeArguments(c: CommandContext, args: readonly ArgumentSpec[]): void {
  const r = c.reply;
  r.array(args.length);
  for (const a of args) {
    const flags = [...(a.optional ? ['optional'] : []), ...(a.multiple ? ['multiple'] : []), ...(a.multipleToken ? ['multiple_token'] : [])];
    const nested = a.type === 'oneof' || a.type === 'block';
    // Redis lists key_spec_index for every argument that has one (SORT's BY/GET patterns too).
    const keySpec = a.type === 'key' || a.keySpecIndex !== undefined;
    const present = [keySpec, a.token, a.summary, a.since, a.deprecatedSince, flags.length > 0, nested];
    r.map(2 + present.filter((x) => x !== undefined && x !== false).length);
    r.bulk('name');
    r.bulk(a.name);
    r.bulk('type');
    r.bulk(a.type);
    if (keySpec) {
      r.bulk('key_spec_index');
      r.integer(a.keySpecIndex ?? 0);
    }
    if (a.token !== undefined) {
      r.bulk('token');
      r.bulk(a.token);
    }
    if (a.summary !== undefined) {
      r.bulk('summary');
      r.bulkText(a.summary);
    }
    if (a.since !== undefined) {
      r.bulk('since');
      r.bulk(a.since);
    }
    if (a.deprecatedSince !== undefined) {
      r.bulk('deprecated_since');
      r.bulk(a.deprecatedSince);
    }
    if (flags.length > 0) {
      r.bulk('flags');
      statusSet(c, flags);
    }
    if (nested) {
      r.bulk('arguments');
      writeArguments(c, a.arguments ?? []);
    }
  }
}
