/**
 * DEBUG HELP's entries as Redis 7.0's debug.c lists them, in its order: DEBUG HELP prints the
 * ones this server has (the kernel's and those plugins registered), word for word.
 */
export const REDIS_DEBUG_HELP: readonly (readonly [string, readonly string[]])[] = [
  ['change-repl-id', ['CHANGE-REPL-ID', '    Change the replication IDs of the instance.', '    Dangerous: should be used only for testing the replication subsystem.']],
  ['digest', ['DIGEST', '    Output a hex signature representing the current DB content.']],
  ['digest-value', ['DIGEST-VALUE <key> [<key> ...]', '    Output a hex signature of the values of all the specified keys.']],
  ['loadaof', ['LOADAOF', '    Flush the AOF buffers on disk and reload the AOF in memory.']],
  ['object', ['OBJECT <key>', '    Show low level info about `key` and associated value.']],
  ['protocol', [
    'PROTOCOL <type>',
    '    Reply with a test value of the specified type. <type> can be: string,',
    '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
    '    true, false.',
  ]],
  ['reload', [
    'RELOAD [option ...]',
    '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
    '    * MERGE: conflicting keys will be loaded from RDB.',
    '    * NOFLUSH: the existing database will not be removed before load, but',
    '      conflicting keys will generate an exception and kill the server.',
    '    * NOSAVE: the database will be loaded from an existing RDB file.',
    '    Examples:',
    '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
    '      the database.',
    '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
    '      existing RDB file.',
    '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
    '      file to the database.',
  ]],
  ['set-active-expire', [
    'SET-ACTIVE-EXPIRE <0|1>',
    '    Setting it to 0 disables expiring keys in background when they are not',
    '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
    '    default.',
  ]],
  ['quicklist-packed-threshold', [
    'QUICKLIST-PACKED-THRESHOLD <size>',
    '    Sets the threshold for elements to be inserted as plain vs packed nodes',
    '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  ]],
  ['sleep', ['SLEEP <seconds>', '    Stop the server for <seconds>. Decimals allowed.']],
  ['listpack', ['LISTPACK <key>', '    Show low level info about the listpack encoding of <key>.']],
  ['pause-cron', ['PAUSE-CRON <0|1>', '    Stop periodic cron job processing.']],
  ['replybuffer', [
    'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
    '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
    '    In case NEVER is provided the last observed peak will never be reset',
    '    In case RESET is provided the peak reset time will be restored to the default value',
    'REPLYBUFFER RESIZING <0|1>',
    '    Enable or disable the reply buffer resize cron job',
  ]],
];
