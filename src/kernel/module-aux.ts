import { ModuleFieldReader, ModuleFieldWriter, MODULE_OPCODE, readLength64, writeLength64 } from '../persistence/module-type-io';
import { RdbFormatError } from '../persistence/rdb-reader';
import type { RdbReader, RdbWriter } from '../persistence/rdb-stream';
import { encodeModuleTypeId, moduleTypeNameOf, type ModuleDataTypeSpec } from './module-types';
import type { ServerContext } from './server-context';

/**
 * Module AUX data: what a module type keeps outside the keyspace (settings, counters, an index)
 * saved in RDB files as Redis saves it (RDB_OPCODE_MODULE_AUX, rdbSaveSingleModuleAux in rdb.c):
 * the opcode, the 64-bit module id, a UINT field holding `when`, the type's own fields, EOF.
 * Records for BEFORE_RDB come after the AUX fields and before the function libraries and keys,
 * AFTER_RDB ones after the last key.
 */
export const MODULE_AUX = {
  /** Saved before the keyspace (Redis's REDISMODULE_AUX_BEFORE_RDB). */
  BEFORE_RDB: 1,
  /** Saved after the keyspace (REDISMODULE_AUX_AFTER_RDB). */
  AFTER_RDB: 2,
} as const;

/** RDB_OPCODE_MODULE_AUX (rdb-format.ts's RDB_OPCODE imports this file's constants, so it is not imported here). */
const OPCODE_MODULE_AUX = 247;

/** Why a module type's aux declaration is unusable, or null. */
export function moduleAuxProblem(spec: ModuleDataTypeSpec): string | null {
  const triggers = spec.auxSaveTriggers;
  if (spec.auxSave === undefined) return triggers === undefined ? null : 'auxSaveTriggers is set but there is no auxSave';
  if (triggers !== 1 && triggers !== 2 && triggers !== 3) return 'auxSave needs auxSaveTriggers: MODULE_AUX.BEFORE_RDB, MODULE_AUX.AFTER_RDB or both (ORed)';
  return null;
}

/** Writes the AUX records of every type whose triggers include `when` (rdbSaveModulesAux), in registration order. */
export function writeModuleAux(out: RdbWriter, types: readonly ModuleDataTypeSpec[], when: number, server: ServerContext): void {
  for (const spec of types) {
    if (spec.auxSave === undefined || ((spec.auxSaveTriggers ?? 0) & when) === 0) continue;
    out.writeByte(OPCODE_MODULE_AUX);
    writeLength64(out, encodeModuleTypeId(spec.moduleType.name, spec.moduleType.encver));
    // "when" goes in a UINT field, as everything after the module id is typed (rdb.c says so).
    out.writeLength(MODULE_OPCODE.UINT);
    out.writeLength(when);
    const fields = new ModuleFieldWriter(out);
    spec.auxSave(fields, when, server);
    fields.end();
  }
}

/**
 * Reads one AUX record after its opcode, handing it to the type that declared the module id (any
 * encoding version: `auxLoad` is given the saved one). Fails with Redis's messages (rdbLoadRio),
 * at offset `at` (the opcode's): no such module type, a type without auxLoad, a load that
 * throws, a record without EOF.
 */
export function readModuleAux(input: RdbReader, lookup: (typeName: string) => ModuleDataTypeSpec | undefined, server: ServerContext | null, at = input.offset): void {
  const id = readLength64(input);
  const whenOpcode = readLength64(input);
  const when = Number(readLength64(input));
  if (whenOpcode !== BigInt(MODULE_OPCODE.UINT)) throw new RdbFormatError('bad when_opcode in module AUX data', at);
  const name = moduleTypeNameOf(id);
  const spec = lookup(name);
  if (spec === undefined) throw new RdbFormatError(`The RDB file contains AUX module data I can't load: no matching module '${name}'`, at);
  if (spec.auxLoad === undefined) throw new RdbFormatError(`The RDB file contains module AUX data, but the module '${name}' doesn't seem to support it.`, at);
  if (server === null) throw new Error('module AUX data needs a registry made by a server');
  const fields = new ModuleFieldReader(input, name);
  try {
    spec.auxLoad(fields, Number(id & 1023n), when, server);
  } catch (e) {
    throw new RdbFormatError(`The RDB file contains module AUX data for the module type '${name}', that the responsible module is not able to load: ${(e as Error).message}`, at);
  }
  fields.end(name, 'module AUX data');
}
