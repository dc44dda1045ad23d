import type { StoredValue } from '../keyspace/value';
import { ModuleFieldReader, ModuleFieldWriter, readLength64, writeLength64, type ModuleTypeReader, type ModuleTypeWriter } from '../persistence/module-type-io';
import { RdbFormatError } from '../persistence/rdb-reader';
import { RDB_TYPE, type RdbReader } from '../persistence/rdb-stream';
import type { DataTypeBase, DataTypeSpec } from './data-types';
import type { ServerContext } from './server-context';

/**
 * Module types: how a plugin's data type is persisted as Redis persists a module's. Every such
 * value is RDB type 7 (MODULE_2) followed by a 64-bit module id (a 9-character type name and a
 * 10-bit encoding version) and typed fields, so any number of plugins share type 7, their dumps
 * are ones redis-check-rdb accepts, and a server without the plugin refuses them by name. As for
 * Redis's module values, TYPE answers `moduleType.name` and OBJECT ENCODING "raw" (no `encoding`).
 */
export interface ModuleDataTypeSpec<V extends StoredValue = StoredValue> extends Omit<DataTypeBase<V>, 'encoding'> {
  moduleType: {
    /** 9 characters of A-Z a-z 0-9 - _ (Redis's rule): what identifies the type in RDB files. */
    name: string;
    /** The encoding version written (0-1023); `load` is given the version a value was saved with. */
    encver: number;
  };
  /** Writes the value's fields (Redis's rdb_save). */
  save(value: V, out: ModuleTypeWriter): void;
  /** Reads a value saved with encoding version `encver` (Redis's rdb_load); throw RdbFormatError for bad data. */
  load(input: ModuleTypeReader, encver: number): V;
  /**
   * Optional: data outside the keyspace, saved in every RDB file (SAVE, BGSAVE, full syncs, the AOF's
   * RDB preamble; not DUMP) as Redis's aux_save: called with `when`, MODULE_AUX.BEFORE_RDB or
   * AFTER_RDB, for each one in `auxSaveTriggers`, with the server saving (plugins keep per-server
   * state). Both records are encoded when the save starts, so a background save stays point-in-time.
   */
  auxSave?(out: ModuleTypeWriter, when: number, server: ServerContext): void;
  /** Optional: reads what auxSave wrote (Redis's aux_load), given the encoding version it was saved with. */
  auxLoad?(input: ModuleTypeReader, encver: number, when: number, server: ServerContext): void;
  /** Which of MODULE_AUX.BEFORE_RDB and AFTER_RDB (ORed) auxSave is called for; required with auxSave. */
  auxSaveTriggers?: number;
}

/** The 64 symbols of a module type name, 6 bits each (Redis's ModuleTypeNameCharSet). */
const CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Why `name`/`encver` cannot be a module type, or null if they can. */
export function moduleTypeProblem(name: unknown, encver: unknown): string | null {
  if (typeof name !== 'string' || name.length !== 9 || [...name].some((ch) => !CHARSET.includes(ch))) {
    return `module type name ${JSON.stringify(name)} must be exactly 9 characters of A-Z a-z 0-9 - _`;
  }
  if (typeof encver !== 'number' || !Number.isInteger(encver) || encver < 0 || encver > 1023) {
    return `module type "${name}": encver must be an integer from 0 to 1023`;
  }
  if (name === 'AAAAAAAAA' && encver === 0) return 'module type "AAAAAAAAA" with encver 0 encodes to id 0, which Redis reserves';
  return null;
}

/** Redis's moduleTypeEncodeId: the name's 54 bits, then the encoding version's 10. */
export function encodeModuleTypeId(name: string, encver: number): bigint {
  let id = 0n;
  for (let i = 0; i < 9; i++) id = (id << 6n) | BigInt(CHARSET.indexOf(name[i]));
  return (id << 10n) | BigInt(encver);
}

/** Redis's moduleTypeNameByID: the type name inside a module id. */
export function moduleTypeNameOf(id: bigint): string {
  let name = '';
  let rest = id >> 10n;
  for (let i = 0; i < 9; i++) {
    name = CHARSET[Number(rest & 63n)] + name;
    rest >>= 6n;
  }
  return name;
}

export function isModuleDataTypeSpec(spec: DataTypeSpec | ModuleDataTypeSpec): spec is ModuleDataTypeSpec {
  return (spec as Partial<ModuleDataTypeSpec>).moduleType !== undefined;
}

/** A module type in the shape persistence uses: writeRdb writes the id, the fields and EOF. */
export function nativeSpecOf<V extends StoredValue>(spec: ModuleDataTypeSpec<V>): DataTypeSpec<V> {
  const { name, encver } = spec.moduleType;
  const id = encodeModuleTypeId(name, encver);
  return {
    ...spec,
    // Redis creates every module value with OBJ_ENCODING_RAW (createModuleObject), so OBJECT ENCODING says "raw".
    encoding: () => 'raw',
    rdbTypes: [],
    writeRdb(value, out) {
      writeLength64(out, id);
      const fields = new ModuleFieldWriter(out);
      spec.save(value, fields);
      fields.end();
      return RDB_TYPE.MODULE_2;
    },
    readRdb: (_type, input) => readModuleValue(input, (found) => (found === name ? { spec, owner: spec.name } : undefined)) as V,
  };
}

/**
 * Reads a MODULE_2 value (after its type byte): the module id, then the owning type's fields and
 * the EOF opcode. A type no loaded plugin declares fails with Redis's own message.
 */
export function readModuleValue(input: RdbReader, lookup: (typeName: string) => { spec: ModuleDataTypeSpec; owner: string } | undefined): StoredValue {
  const at = input.offset;
  const id = readLength64(input);
  const typeName = moduleTypeNameOf(id);
  const found = lookup(typeName);
  if (found === undefined) throw new RdbFormatError(`The RDB file contains module data I can't load: no matching module type '${typeName}'`, at);
  const fields = new ModuleFieldReader(input, typeName);
  const value = found.spec.load(fields, Number(id & 1023n));
  fields.end(found.owner);
  return value;
}
