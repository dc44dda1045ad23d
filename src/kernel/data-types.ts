import type { ValueDigest } from './dataset-digest';
import type { ConfigStore } from '../config/config-store';
import type { StoredValue } from '../keyspace/value';
import { RDB_TYPE, type RdbReader, type RdbWriter } from '../persistence/rdb-stream';
import { UserError } from './errors';
import { moduleAuxProblem, readModuleAux, writeModuleAux } from './module-aux';
import type { ServerContext } from './server-context';
import { isModuleDataTypeSpec, moduleTypeProblem, nativeSpecOf, readModuleValue, type ModuleDataTypeSpec } from './module-types';

/** What every data type tells the kernel besides its RDB codec. */
export interface DataTypeBase<V extends StoredValue = StoredValue> {
  /** The type's name: what TYPE reports ("string", "hash", ...), except for a module type (its 9-character name). */
  name: string;
  /** True if `value` belongs to this type. */
  owns(value: StoredValue): boolean;
  /** Commands that rebuild the value, for AOF rewrite (TTL is handled by the caller). */
  rewrite(key: string, value: V, emit: (argv: (string | Buffer)[]) => void): void;
  /** A copy that later in-place changes of `value` do not affect (for point-in-time snapshots). */
  clone(value: V): V;
  /** OBJECT ENCODING's answer, with Redis's names. */
  encoding(value: V, config: ConfigStore): string;
  /** Estimated bytes the value costs (MEMORY USAGE). */
  memoryUsage(value: V): number;
  /**
   * Optional: Redis's lazyfreeGetFreeEffort, the allocations freeing the value takes (a list's
   * nodes, a hash table's entries; 1 for a packed encoding, the default). An UNLINK (or a lazy
   * DEL, eviction, expiry, FLUSHALL ASYNC) of a value above 64 counts in INFO `lazyfreed_objects`.
   */
  freeEffort?(value: V): number;
  /**
   * Optional: the elements SORT and SORT_RO read from a value of this type, in the order
   * `SORT ... BY nosort` returns them (a list's order, a set's iteration order, a sorted set's
   * rank order). SORT refuses keys of types without it (WRONGTYPE), as Redis refuses strings.
   */
  sortElements?(value: V): Iterable<string>;
  /** Optional: the value of a field (SORT's `BY`/`GET pattern->field` reads hashes so), or undefined. */
  fieldValue?(value: V, field: string): string | undefined;
  /**
   * Optional: DEBUG DIGEST's view of the value, as Redis's xorObjectDigest: `d.objectType(n)` first
   * (Redis's object type number), then the parts (`mix` for ordered ones, `xor`/`xorElement` for
   * unordered ones). Without it the value digests as a module value (its type only).
   */
  digest?(value: V, d: ValueDigest): void;
  /**
   * Optional: a new value holding `elements` in this order (SORT ... STORE builds its result list
   * with the `list` type's). Never called with an empty array.
   */
  fromElements?(elements: string[]): V;
}

/**
 * A data type, as a plugin describes it to the kernel and to persistence: how its values are
 * written to and read from RDB, rewritten as commands (AOF rewrite), copied for snapshots, and how
 * OBJECT ENCODING and MEMORY USAGE report them. Persistence plugins use only this, never the type
 * plugins themselves. Redis's own types claim RDB type bytes; a third-party type is a
 * `ModuleDataTypeSpec` instead (RDB type 7 with a module id, as Redis module types are saved).
 */
export interface DataTypeSpec<V extends StoredValue = StoredValue> extends DataTypeBase<V> {
  /** RDB type bytes this type reads (e.g. hash: 4, 9, 13, 16). The first is what it writes. */
  rdbTypes: number[];
  /** Writes the value's payload after the type byte, which it returns. */
  writeRdb(value: V, out: RdbWriter): number;
  /** Reads a value of RDB type `rdbType` (one of rdbTypes); throws RdbFormatError for bad data. */
  readRdb(rdbType: number, input: RdbReader): V;
}

/** Who registered a type (error messages name both sides of a collision). */
interface Registered {
  spec: DataTypeSpec;
  owner: string;
  /** What TYPE answers: the name, or a module type's 9-character name. */
  typeName: string;
}

export class DataTypeRegistry {
  private readonly byName = new Map<string, Registered>();
  private readonly byRdbType = new Map<number, Registered>();
  private readonly byModuleType = new Map<string, { spec: ModuleDataTypeSpec; owner: string }>();
  private list: DataTypeSpec[] = [];
  /** Module types that save AUX data, in registration order. */
  private auxTypes: ModuleDataTypeSpec[] = [];
  /** Reads every MODULE_2 value, dispatching on the module id to the type that declared it. */
  private readonly moduleReader: DataTypeSpec = {
    name: 'module', rdbTypes: [RDB_TYPE.MODULE_2], owns: () => false,
    writeRdb: () => {
      throw new Error('the module dispatcher writes nothing');
    },
    readRdb: (_type, input) => readModuleValue(input, (name) => this.byModuleType.get(name)),
    rewrite: () => {}, clone: (v) => v, encoding: () => 'raw', memoryUsage: () => 0,
  };

  /** `server` is handed to module types' auxSave/auxLoad (a registry without one refuses AUX data). */
  constructor(private readonly server: ServerContext | null = null) {}

  /** Registers a type for plugin `owner`; a name, RDB type or module type already taken is a UserError naming both plugins. */
  register(definition: DataTypeSpec | ModuleDataTypeSpec, owner = 'unknown'): void {
    const spec = isModuleDataTypeSpec(definition) ? this.checkModuleType(definition, owner) : definition;
    const same = this.byName.get(spec.name);
    if (same !== undefined) throw new UserError(`data type "${spec.name}" is registered by both plugin "${same.owner}" and plugin "${owner}"`);
    for (const t of spec.rdbTypes) {
      if (t === RDB_TYPE.MODULE_2) throw new UserError(`plugin "${owner}": data type "${spec.name}" claims RDB type 7 (MODULE_2), which is shared by module types: declare a moduleType instead`);
      const other = this.byRdbType.get(t);
      if (other !== undefined) throw new UserError(`RDB type ${t} is claimed by both data type "${other.spec.name}" (plugin "${other.owner}") and "${spec.name}" (plugin "${owner}")`);
    }
    const typeName = isModuleDataTypeSpec(definition) ? definition.moduleType.name : spec.name;
    const registered = { spec, owner, typeName };
    this.byName.set(spec.name, registered);
    for (const t of spec.rdbTypes) this.byRdbType.set(t, registered);
    if (isModuleDataTypeSpec(definition)) {
      this.byModuleType.set(definition.moduleType.name, { spec: definition, owner });
      if (definition.auxSave !== undefined) this.auxTypes = [...this.auxTypes, definition];
    }
    this.list = [...this.list, spec];
  }

  private checkModuleType(spec: ModuleDataTypeSpec, owner: string): DataTypeSpec {
    const problem = moduleTypeProblem(spec.moduleType.name, spec.moduleType.encver) ?? moduleAuxProblem(spec);
    if (problem !== null) throw new UserError(`plugin "${owner}": data type "${spec.name}": ${problem}`);
    const other = this.byModuleType.get(spec.moduleType.name);
    if (other !== undefined) {
      throw new UserError(`module type "${spec.moduleType.name}" is declared by both data type "${other.spec.name}" (plugin "${other.owner}") and "${spec.name}" (plugin "${owner}")`);
    }
    return nativeSpecOf(spec);
  }

  /** True when some module type saves AUX data (RDB writers then call writeModuleAux). */
  get hasModuleAux(): boolean {
    return this.auxTypes.length > 0;
  }

  /** Writes the module AUX records for `when` (MODULE_AUX.BEFORE_RDB or AFTER_RDB), as Redis's rdbSaveModulesAux. */
  writeModuleAux(out: RdbWriter, when: number): void {
    if (this.auxTypes.length === 0) return;
    writeModuleAux(out, this.auxTypes, when, this.requireServer());
  }

  /** Reads one module AUX record (after RDB opcode 247, read at offset `at`), handing it to the module type that saved it. */
  readModuleAux(input: RdbReader, at = input.offset): void {
    readModuleAux(input, (name) => this.byModuleType.get(name)?.spec, this.server, at);
  }

  private requireServer(): ServerContext {
    if (this.server === null) throw new Error('module AUX data needs a registry made by a server');
    return this.server;
  }

  get(name: string): DataTypeSpec | undefined {
    return this.byName.get(name)?.spec;
  }

  /** The type reading values of RDB type `type` (MODULE_2: the dispatcher over module types). */
  forRdbType(type: number): DataTypeSpec | undefined {
    if (type === RDB_TYPE.MODULE_2) return this.moduleReader;
    return this.byRdbType.get(type)?.spec;
  }

  /** Redis's lazyfreeGetFreeEffort for a stored value (1 unless its type says more). */
  freeEffort(value: StoredValue): number {
    if (typeof value === 'string') return 1;
    const spec = this.byName.get(value.type)?.spec;
    return spec?.freeEffort === undefined ? 1 : spec.freeEffort(value);
  }

  /** The type a stored value belongs to. */
  of(value: StoredValue): DataTypeSpec | undefined {
    const name = typeof value === 'string' ? 'string' : value.type;
    return this.byName.get(name)?.spec;
  }

  /**
   * What TYPE and SCAN ... TYPE answer for a value: its type's name, or for a module type its
   * 9-character module type name, as Redis's getObjectTypeName answers `mv->type->name` (db.c).
   */
  typeNameOf(value: StoredValue): string {
    if (typeof value === 'string') return 'string';
    return this.byName.get(value.type)?.typeName ?? value.type;
  }

  /** The plugin that registered type `name`. */
  ownerOf(name: string): string | undefined {
    return this.byName.get(name)?.owner;
  }

  all(): readonly DataTypeSpec[] {
    return this.list;
  }
}
