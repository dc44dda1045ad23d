import { describe, expect, it, vi } from 'vitest';
import { DataTypeRegistry, RdbFormatError, UserError, isRdbFormatError, isUserError } from '../../src/index';
import { CompactEncodingError, createDumpPayload, parseDumpPayload } from '../../src/api/persistence';
import type * as Index from '../../src/index';
import type * as Persistence from '../../src/api/persistence';

/**
 * Kernel errors are recognised by a Symbol.for brand, so an error thrown by another copy of the
 * package (a plugin with its own node_modules) is still the kernel's kind of error.
 */
describe('error brands', () => {
  /** A fresh module graph: the classes a second copy of the package would have. */
  async function secondCopy() {
    vi.resetModules();
    const index = await vi.importActual<typeof Index>('../../src/index');
    const persistence = await vi.importActual<typeof Persistence>('../../src/api/persistence');
    return { RdbFormatError: index.RdbFormatError, UserError: index.UserError, CompactEncodingError: persistence.CompactEncodingError };
  }

  it('instanceof and the is* helpers accept the errors of another copy', async () => {
    const other = await secondCopy();
    expect(other.RdbFormatError).not.toBe(RdbFormatError);
    const rdb = new other.RdbFormatError('bad', 3);
    expect(rdb instanceof RdbFormatError).toBe(true);
    expect(isRdbFormatError(rdb)).toBe(true);
    expect(new other.UserError('x') instanceof UserError).toBe(true);
    expect(isUserError(new other.UserError('x'))).toBe(true);
    expect(new other.CompactEncodingError('listpack', 'short', 1) instanceof CompactEncodingError).toBe(true);
  });

  it('tells the kinds apart and refuses look-alikes', () => {
    expect(new UserError('x') instanceof RdbFormatError).toBe(false);
    expect(new RdbFormatError('x', 0) instanceof UserError).toBe(false);
    const lookAlike = Object.assign(new Error('x'), { name: 'RdbFormatError', offset: 0 });
    expect(lookAlike instanceof RdbFormatError).toBe(false);
    expect(isUserError(null)).toBe(false);
    expect(UserError[Symbol.hasInstance]('x')).toBe(false);
  });

  it('keeps the prototype check for subclasses', () => {
    class PluginError extends UserError {}
    expect(new PluginError('x') instanceof UserError).toBe(true);
    expect(new PluginError('x') instanceof PluginError).toBe(true);
    expect(new UserError('x') instanceof PluginError).toBe(false);
  });

  it('RESTORE of a value whose codec throws another copy\'s RdbFormatError is a format problem', async () => {
    const other = await secondCopy();
    class Thing {
      readonly type = 'thing';
    }
    const registry = new DataTypeRegistry();
    registry.register({
      name: 'thing', rdbTypes: [200], owns: (v) => v instanceof Thing,
      writeRdb: (_v, out) => {
        out.writeLength(1);
        return 200;
      },
      readRdb: () => {
        throw new other.RdbFormatError('not a thing', 0);
      },
      rewrite: () => {}, clone: (v) => v, encoding: () => 'raw', memoryUsage: () => 1,
    });
    const payload = createDumpPayload(new Thing(), registry, false);
    expect(parseDumpPayload(payload, registry)).toBe('format');
  });
});
