import { describe, expect, it } from 'vitest';
import { formatManifest, parseManifest, quoteIfNeeded, splitArgs, type AofManifest } from '../../plugins/aof/manifest';

const parse = (text: string) => parseManifest(Buffer.from(text, 'latin1'));

describe('aof manifest', () => {
  it('formats base, history and incremental lines in that order, as Redis 7 does', () => {
    const m: AofManifest = {
      base: { name: 'appendonly.aof.2.base.aof', seq: 2, type: 'b' },
      history: [{ name: 'appendonly.aof.1.base.aof', seq: 1, type: 'h' }],
      incr: [{ name: 'appendonly.aof.3.incr.aof', seq: 3, type: 'i' }, { name: 'appendonly.aof.4.incr.aof', seq: 4, type: 'i' }],
      baseSeq: 2,
      incrSeq: 4,
    };
    const text = formatManifest(m);
    expect(text).toBe(
      'file appendonly.aof.2.base.aof seq 2 type b\n'
      + 'file appendonly.aof.1.base.aof seq 1 type h\n'
      + 'file appendonly.aof.3.incr.aof seq 3 type i\n'
      + 'file appendonly.aof.4.incr.aof seq 4 type i\n',
    );
    expect(parse(text)).toEqual(m);
  });

  it('quotes names the way sdscatrepr does and reads them back', () => {
    expect(quoteIfNeeded('appendonly.aof.1.base.aof')).toBe('appendonly.aof.1.base.aof');
    expect(quoteIfNeeded('my file.aof')).toBe('"my file.aof"');
    expect(quoteIfNeeded('a"b\\c\n\t\r\x07\x08\x01')).toBe('"a\\"b\\\\c\\n\\t\\r\\a\\b\\x01"');
    expect(quoteIfNeeded('caf\u00e9')).toBe('"caf\\xc3\\xa9"');
    for (const name of ['my file.aof', 'a"b\\c\n\t', 'caf\u00e9.aof', "it's"]) {
      const m = parse(`file ${quoteIfNeeded(name)} seq 1 type b\n`);
      expect(m.base?.name).toBe(name);
    }
  });

  it('splits arguments with sdssplitargs rules', () => {
    expect(splitArgs('  a  "b c" \'d e\'  ')).toEqual(['a', 'b c', 'd e']);
    expect(splitArgs('"\\x41\\n"')).toEqual(['A\n']);
    expect(splitArgs("'it\\'s'")).toEqual(["it's"]);
    expect(splitArgs('"unterminated')).toBeNull();
    expect(splitArgs('"a"b')).toBeNull();
  });

  it('accepts comments, keys in any case and order, and extra keys', () => {
    const m = parse('# comment\nSEQ 1 TYPE b FILE base.aof extra x\nfile incr.aof seq 5 type i\n');
    expect(m.base).toEqual({ name: 'base.aof', seq: 1, type: 'b' });
    expect(m.incr).toEqual([{ name: 'incr.aof', seq: 5, type: 'i' }]);
    expect(m.incrSeq).toBe(5);
  });

  it('refuses what Redis refuses, with its messages', () => {
    const cases: [string, string][] = [
      ['', 'Found an empty AOF manifest'],
      ['file a seq 1 type b', 'The AOF manifest file contains too long line'],
      ['\n', 'Invalid AOF manifest file format'],
      ['file a seq 1\n', 'Invalid AOF manifest file format'],
      ['file a seq 0 type b\n', 'Invalid AOF manifest file format'],
      ['file dir/a seq 1 type b\n', "File can't be a path, just a filename"],
      ['file a seq 1 type b\nfile b seq 2 type b\n', 'Found duplicate base file information'],
      ['file a seq 2 type i\nfile b seq 2 type i\n', 'Found a non-monotonic sequence number'],
      ['file a seq 1 type x\n', 'Unknown AOF file type'],
      [`file ${'a'.repeat(1100)} seq 1 type b\n`, 'The AOF manifest file contains too long line'],
    ];
    for (const [text, message] of cases) expect(() => parse(text), JSON.stringify(text)).toThrow(message);
  });
});
