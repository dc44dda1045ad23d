import { describe, expect, it } from 'vitest';
import { parseSyntax } from '../../src/commands/command-syntax';

describe('usage line → COMMAND DOCS arguments', () => {
  it('parses keys, tokens with values, alternatives and options', () => {
    expect(parseSyntax('key value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]')).toEqual([
      { name: 'key', type: 'key' },
      { name: 'value', type: 'string' },
      { name: 'nx-xx', type: 'oneof', optional: true, arguments: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }] },
      { name: 'get', type: 'pure-token', token: 'GET', optional: true },
      {
        name: 'seconds-milliseconds-keepttl', type: 'oneof', optional: true, arguments: [
          { name: 'seconds', type: 'integer', token: 'EX', multiple: undefined },
          { name: 'milliseconds', type: 'integer', token: 'PX', multiple: undefined },
          { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL' },
        ],
      },
    ]);
  });

  it('parses repetition written either way', () => {
    expect(parseSyntax('key [key ...]')).toEqual([{ name: 'key', type: 'key', multiple: true }]);
    expect(parseSyntax('key field value [field value ...]')).toEqual([
      { name: 'key', type: 'key' },
      { name: 'field-value', type: 'block', multiple: true, arguments: [{ name: 'field', type: 'string' }, { name: 'value', type: 'string' }] },
    ]);
    expect(parseSyntax('parameter [parameter ...]')).toEqual([{ name: 'parameter', type: 'string', multiple: true }]);
  });
});
