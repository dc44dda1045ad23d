import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypeRegistry, MODULE_AUX, encodeModuleTypeId, type ModuleDataTypeSpec, type RedixServer, type ServerContext, type TypedValue } from '../../src/index';
import { RDB_OPCODE, RdbBufferReader, RdbBufferWriter, RdbFileEncoder, readRdb } from '../../src/api/persistence';
import { startRedix } from '../helpers/redix';

/**
 * Module AUX records as rdb.c's rdbSaveSingleModuleAux writes them and rdbLoadRio reads them, on
 * registries of a real server (auxSave/auxLoad are handed the server saving or loading).
 */
class Box implements TypedValue {
  get type(): string {
    return 'box';
  }
}

/** What the test module type keeps outside the keyspace, per server. */
const state = new Map<ServerContext, { n: bigint; loaded: string[] }>();

function auxType(overrides: Partial<ModuleDataTypeSpec<Box>> = {}): ModuleDataTypeSpec<Box> {
  return {
    name: 'box', moduleType: { name: 'box-type1', encver: 5 }, owns: (v) => v instanceof Box,
    save: () => {}, load: () => new Box(),
    rewrite: () => {}, clone: (v) => v, memoryUsage: () => 1,
    auxSaveTriggers: MODULE_AUX.BEFORE_RDB | MODULE_AUX.AFTER_RDB,
    auxSave: (out, when, server) => out.saveUnsigned(state.get(server)!.n + BigInt(when)),
    auxLoad: (input, encver, when, server) => void state.get(server)!.loaded.push(`${when}:${encver}:${input.loadUnsignedBig()}`),
    ...overrides,
  };
}

describe('module AUX records', () => {
  let server: RedixServer;
  beforeAll(async () => {
    server = await startRedix();
    state.set(server, { n: 40n, loaded: [] });
  });
  afterAll(() => server.shutdown());

  const registryWith = (...types: ModuleDataTypeSpec<Box>[]) => {
    const registry = new DataTypeRegistry(server);
    types.forEach((t, i) => registry.register(t, `plugin${i}`));
    return registry;
  };
  const recordsOf = (registry: DataTypeRegistry, when: number) => {
    const out = new RdbBufferWriter({ compression: false });
    registry.writeModuleAux(out, when);
    return out.take();
  };
  const idBytes = () => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(encodeModuleTypeId('box-type1', 5));
    return b;
  };

  it('are opcode 247, the 64-bit module id, a UINT field holding when, the fields and EOF', () => {
    const registry = registryWith(auxType());
    // when = 1 (before the keys): the unsigned field holds 41; 2 (after): 42.
    expect(recordsOf(registry, MODULE_AUX.BEFORE_RDB)).toEqual(Buffer.concat([Buffer.from([247, 0x81]), idBytes(), Buffer.from([2, 1, 2, 41, 0])]));
    expect(recordsOf(registry, MODULE_AUX.AFTER_RDB)).toEqual(Buffer.concat([Buffer.from([247, 0x81]), idBytes(), Buffer.from([2, 2, 2, 42, 0])]));
    expect(RDB_OPCODE.MODULE_AUX).toBe(247);
  });

  it('are written only for the triggers a type asked for', () => {
    const registry = registryWith(auxType({ auxSaveTriggers: MODULE_AUX.AFTER_RDB }));
    expect(recordsOf(registry, MODULE_AUX.BEFORE_RDB).length).toBe(0);
    expect(recordsOf(registry, MODULE_AUX.AFTER_RDB).length).toBeGreaterThan(0);
  });

  it('load into the type that declared the module id, with its saved encoding version and when', () => {
    const registry = registryWith(auxType());
    const input = new RdbBufferReader(Buffer.concat([recordsOf(registry, MODULE_AUX.BEFORE_RDB), recordsOf(registry, MODULE_AUX.AFTER_RDB)]));
    state.get(server)!.loaded = [];
    for (let i = 0; i < 2; i++) {
      expect(input.readByte()).toBe(247);
      registry.readModuleAux(input);
    }
    expect(state.get(server)!.loaded).toEqual(['1:5:41', '2:5:42']);
  });

  it('fail with Redis\'s messages: no such module, no auxLoad, a failing auxLoad, no EOF, a bad when opcode', () => {
    const records = recordsOf(registryWith(auxType()), MODULE_AUX.BEFORE_RDB);
    const readWith = (registry: DataTypeRegistry, bytes = records) => () => {
      const input = new RdbBufferReader(bytes);
      input.readByte();
      registry.readModuleAux(input);
    };
    expect(readWith(new DataTypeRegistry(server))).toThrow("The RDB file contains AUX module data I can't load: no matching module 'box-type1'");
    expect(readWith(registryWith(auxType({ auxLoad: undefined })))).toThrow("The RDB file contains module AUX data, but the module 'box-type1' doesn't seem to support it.");
    expect(readWith(registryWith(auxType({ auxLoad: (input) => void input.loadString() })))).toThrow(
      "The RDB file contains module AUX data for the module type 'box-type1', that the responsible module is not able to load: module type 'box-type1' read a string where the value holds an unsigned integer",
    );
    expect(readWith(registryWith(auxType({ auxLoad: () => {} })))).toThrow(
      "The RDB file contains module AUX data for the module 'box-type1' that is not terminated by the proper module value EOF marker",
    );
    const badWhen = Buffer.from(records);
    badWhen[10] = 5; // the opcode before "when" must be UINT (2)
    expect(readWith(registryWith(auxType()), badWhen)).toThrow('bad when_opcode');
  });

  it('are refused at registration without triggers, or with triggers and no auxSave', () => {
    expect(() => registryWith(auxType({ auxSaveTriggers: undefined }))).toThrow(/plugin "plugin0": data type "box": auxSave needs auxSaveTriggers/);
    expect(() => registryWith(auxType({ auxSaveTriggers: 4 }))).toThrow(/auxSave needs auxSaveTriggers/);
    expect(() => registryWith(auxType({ auxSave: undefined }))).toThrow(/auxSaveTriggers is set but there is no auxSave/);
  });

  it('in a file sit before the keys and after them, the later one as it was when the header was written', () => {
    const registry = registryWith(auxType());
    registry.register(server.dataTypes.get('string')!, 'strings');
    state.get(server)!.n = 100n;
    const encoder = new RdbFileEncoder({ compression: false, checksum: true });
    encoder.writeHeader([['redis-ver', '7.0.15']], [], registry);
    state.get(server)!.n = 7n; // changed while the "background save" runs: the file keeps 100
    encoder.writeDatabaseStart(0, 1, 0);
    encoder.writeEntry('k', 'v', -1, registry);
    const file = Buffer.concat([encoder.takeChunk(), encoder.finish()]);
    const order: string[] = [];
    state.get(server)!.loaded = order;
    readRdb(new RdbBufferReader(file), registry, { databases: 16, verifyChecksum: true, skipExpired: false }, (entry) => void order.push(`key ${entry.key}`));
    expect(order).toEqual(['1:5:101', 'key k', '2:5:102']);
  });
});
