import { describe, expect, it } from 'vitest';
import { DataTypeRegistry, RdbFormatError, UserError, encodeModuleTypeId, moduleTypeNameOf, type ModuleDataTypeSpec, type TypedValue } from '../../src/index';
import { RdbBufferReader, RdbBufferWriter, createDumpPayload, parseDumpPayload } from '../../src/api/persistence';
import { ModuleFieldReader, ModuleFieldWriter } from '../../src/persistence/module-type-io';

class Box implements TypedValue {
  constructor(public fields: (bigint | number | string)[]) {}
  get type(): string {
    return 'box';
  }
}

function boxType(name = 'box-type1', encver = 2, save?: ModuleDataTypeSpec<Box>['save']): ModuleDataTypeSpec<Box> {
  return {
    name: 'box', moduleType: { name, encver }, owns: (v) => v instanceof Box,
    save: save ?? ((v, out) => out.saveUnsigned(v.fields[0] as bigint)),
    load: (input, ver) => new Box([input.loadUnsignedBig(), ver]),
    rewrite: () => {}, clone: (v) => new Box([...v.fields]), memoryUsage: () => 1,
  };
}

describe('module type ids (Redis moduleTypeEncodeId)', () => {
  it('packs 9 six-bit symbols and the 10-bit encoding version', () => {
    // "AAAAAAAAB" is symbol 1 in the last place: 1 << 10, plus encver.
    expect(encodeModuleTypeId('AAAAAAAAB', 5)).toBe((1n << 10n) | 5n);
    expect(encodeModuleTypeId('_________', 1023)).toBe(2n ** 64n - 1n);
    for (const name of ['semaphore', 'ledger-01', 'MyType_-9']) expect(moduleTypeNameOf(encodeModuleTypeId(name, 7))).toBe(name);
  });

  it('refuses names and versions Redis refuses, naming the plugin', () => {
    const registry = new DataTypeRegistry();
    expect(() => registry.register(boxType('short', 0), 'p')).toThrow(/^plugin "p": data type "box": module type name "short" must be exactly 9 characters/);
    expect(() => registry.register(boxType('has space', 0), 'p')).toThrow(UserError);
    expect(() => registry.register(boxType('box-type1', 1024), 'p')).toThrow(/encver must be an integer from 0 to 1023/);
    expect(() => registry.register(boxType('AAAAAAAAA', 0), 'p')).toThrow(/id 0/);
  });

  it('refuses a module type declared twice, and RDB type 7 claimed directly, naming the plugins', () => {
    const registry = new DataTypeRegistry();
    registry.register(boxType(), 'first');
    expect(() => registry.register({ ...boxType(), name: 'other' }, 'second')).toThrow(
      'module type "box-type1" is declared by both data type "box" (plugin "first") and "other" (plugin "second")',
    );
    expect(() => registry.register({ ...boxType('box-type2'), name: 'box' }, 'third')).toThrow('data type "box" is registered by both plugin "first" and plugin "third"');
    expect(() => registry.register({ ...boxType(), moduleType: undefined, name: 'raw', rdbTypes: [7], writeRdb: () => 7, readRdb: () => new Box([]) } as never, 'fourth'))
      .toThrow(/plugin "fourth": data type "raw" claims RDB type 7 \(MODULE_2\)/);
  });
});

describe('module values in RDB', () => {
  it('are type 7, the 64-bit module id as an RDB length, the fields and the EOF opcode', () => {
    const registry = new DataTypeRegistry();
    registry.register(boxType(), 'p');
    const payload = createDumpPayload(new Box([5n]), registry, false);
    const id = encodeModuleTypeId('box-type1', 2);
    const idBytes = Buffer.alloc(8);
    idBytes.writeBigUInt64BE(id);
    expect(payload.subarray(0, payload.length - 10)).toEqual(Buffer.concat([Buffer.from([7, 0x81]), idBytes, Buffer.from([2, 5, 0])]));
    const back = parseDumpPayload(payload, registry) as Box;
    expect(back.fields).toEqual([5n, 2]);
  });

  it('dispatch by module id to any number of types, each given its saved encoding version', () => {
    const registry = new DataTypeRegistry();
    registry.register(boxType('box-type1', 2), 'a');
    registry.register({ ...boxType('box-type2', 9), name: 'crate', owns: () => false }, 'b');
    const w = new RdbBufferWriter({ compression: false });
    w.writeByte(7);
    registry.get('crate')!.writeRdb(new Box([1n]), w);
    w.writeByte(7);
    registry.get('box')!.writeRdb(new Box([2n]), w);
    const r = new RdbBufferReader(w.take());
    expect((registry.forRdbType(r.readByte())!.readRdb(7, r) as Box).fields).toEqual([1n, 9]);
    expect((registry.forRdbType(r.readByte())!.readRdb(7, r) as Box).fields).toEqual([2n, 2]);
  });

  it('of a module type no plugin declares fail with Redis\'s message naming the type', () => {
    const source = new DataTypeRegistry();
    source.register(boxType('tally-two', 0), 'p');
    const w = new RdbBufferWriter({ compression: false });
    source.get('box')!.writeRdb(new Box([1n]), w);
    const reader = new RdbBufferReader(w.take());
    expect(() => new DataTypeRegistry().forRdbType(7)!.readRdb(7, reader)).toThrow("The RDB file contains module data I can't load: no matching module type 'tally-two'");
  });

  it('without their EOF opcode fail as Redis fails them', () => {
    const registry = new DataTypeRegistry();
    registry.register(boxType('box-type1', 0, (v, out) => {
      out.saveUnsigned(1);
      out.saveUnsigned(2);
    }), 'boxes');
    const w = new RdbBufferWriter({ compression: false });
    registry.get('box')!.writeRdb(new Box([]), w);
    expect(() => registry.forRdbType(7)!.readRdb(7, new RdbBufferReader(w.take()))).toThrow(
      "The RDB file contains module data for the module 'boxes' that is not terminated by the proper module value EOF marker",
    );
  });
});

describe('module field helpers (RM_Save*/RM_Load*)', () => {
  const roundTrip = (save: (w: ModuleFieldWriter) => void) => {
    const out = new RdbBufferWriter({ compression: true });
    save(new ModuleFieldWriter(out));
    return new ModuleFieldReader(new RdbBufferReader(out.take()), 'test-type');
  };

  it('keep 64-bit integers exact and strings, doubles and floats as saved', () => {
    const big = 2n ** 64n - 1n;
    const r = roundTrip((w) => {
      w.saveUnsigned(big);
      w.saveSigned(-(2n ** 63n));
      w.saveSigned(-1);
      w.saveUnsigned(Number.MAX_SAFE_INTEGER);
      w.saveString('x'.repeat(100));
      w.saveString(Buffer.from([0, 255, 10]));
      w.saveString('12345');
      w.saveDouble(-0.1);
      w.saveDouble(Infinity);
      w.saveFloat(0.1);
    });
    expect(r.loadUnsignedBig()).toBe(big);
    expect(r.loadSignedBig()).toBe(-(2n ** 63n));
    expect(r.loadSigned()).toBe(-1);
    expect(r.loadUnsigned()).toBe(Number.MAX_SAFE_INTEGER);
    expect(r.loadString()).toBe('x'.repeat(100));
    expect(r.loadStringBuffer()).toEqual(Buffer.from([0, 255, 10]));
    expect(r.loadString()).toBe('12345');
    expect(r.loadDouble()).toBe(-0.1);
    expect(r.loadDouble()).toBe(Infinity);
    expect(r.loadFloat()).toBe(Math.fround(0.1));
  });

  it('write a signed value as the UINT field of its two\'s complement, as RM_SaveSigned', () => {
    const out = new RdbBufferWriter({ compression: false });
    new ModuleFieldWriter(out).saveSigned(-1);
    expect(out.take().toString('hex')).toBe('0281ffffffffffffffff');
  });

  it('refuse to lose precision, and a field read with the wrong helper', () => {
    expect(() => roundTrip((w) => w.saveUnsigned(2n ** 53n)).loadUnsigned()).toThrow(RdbFormatError);
    expect(() => roundTrip((w) => w.saveString('a')).loadDouble()).toThrow("module type 'test-type' read a double where the value holds a string");
    expect(() => roundTrip(() => {}).loadUnsigned()).toThrow(RdbFormatError);
    expect(() => roundTrip((w) => w.saveUnsigned(1.5))).toThrow(/not a safe integer/);
    expect(() => roundTrip((w) => w.saveUnsigned(-1))).toThrow(RangeError);
  });
});
