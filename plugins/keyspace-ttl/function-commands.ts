import { Command, CommandModule, isKeyword, writeHelp, type CommandContext } from 'redix-server';
import { cString } from './c-string';
import { KEYSPACE_DOCS } from './keyspace-docs';

/**
 * FUNCTION DUMP of an empty library set, byte for byte: RDB version 10 (little-endian u16) and the
 * CRC64 trailer Redis computes over it.
 */
const EMPTY_DUMP = Buffer.from([0x0a, 0x00, 0x5d, 0x9b, 0x5c, 0x40, 0x0f, 0x7f, 0xa2, 0xda]);

const HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

const SUB = { group: 'scripting', since: '7.0.0' } as const;
const ACL = ['@slow', '@scripting'];
const ACL_WRITE = ['@write', '@slow', '@scripting'];

/**
 * FUNCTION, for a server without a scripting engine: it answers as a Redis 7.0 with no libraries
 * loaded, so clients that probe functions at connect time work.
 */
@CommandModule({ containers: [{ name: 'function', group: 'scripting', since: '7.0.0', summary: 'A container for function commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class FunctionCommands {
  /** FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE] */
  @Command({ name: 'function|list', arity: -2, flags: ['noscript'], ...SUB, summary: 'List information about all the functions', complexity: 'O(N) where N is the number of functions', aclCategories: ACL, ...KEYSPACE_DOCS['function|list'] })
  list(c: CommandContext, argv: Buffer[]): void {
    let withCode = false;
    let libraryName = false;
    for (let i = 2; i < argv.length; i++) {
      // Each option may be given once; a repeat is an unknown argument.
      if (!withCode && isKeyword(argv[i], 'WITHCODE')) {
        withCode = true;
      } else if (!libraryName && isKeyword(argv[i], 'LIBRARYNAME')) {
        if (i >= argv.length - 1) {
          c.reply.error('ERR library name argument was not given');
          return;
        }
        libraryName = true;
        i++;
      } else {
        c.reply.error(`ERR Unknown argument ${cString(argv[i])}`);
        return;
      }
    }
    c.reply.array(0);
  }

  /** FUNCTION FLUSH [ASYNC|SYNC] */
  @Command({ name: 'function|flush', arity: -2, flags: ['write', 'noscript'], ...SUB, summary: 'Deleting all functions', complexity: 'O(N) where N is the number of functions deleted', aclCategories: ACL_WRITE, ...KEYSPACE_DOCS['function|flush'] })
  flush(c: CommandContext, argv: Buffer[]): void {
    if (argv.length > 3) {
      c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${cString(argv[1])}'. Try FUNCTION HELP.`);
      return;
    }
    if (argv.length === 3 && !isKeyword(argv[2], 'ASYNC') && !isKeyword(argv[2], 'SYNC')) {
      c.reply.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
      return;
    }
    // Redis counts a flush as a change even when there was nothing to flush, so it replicates.
    c.forcePropagation();
    c.reply.ok();
  }

  /** FUNCTION DELETE library-name */
  @Command({ name: 'function|delete', arity: 3, flags: ['write', 'noscript'], ...SUB, summary: 'Delete a function by name', complexity: 'O(1)', aclCategories: ACL_WRITE, ...KEYSPACE_DOCS['function|delete'] })
  delete(c: CommandContext): void {
    c.reply.error('ERR Library not found');
  }

  /** FUNCTION DUMP */
  @Command({ name: 'function|dump', arity: 2, flags: ['noscript'], ...SUB, summary: 'Dump all functions into a serialized binary payload', complexity: 'O(N) where N is the number of functions', aclCategories: ACL })
  dump(c: CommandContext): void {
    c.reply.bulkBuffer(EMPTY_DUMP);
  }

  /** FUNCTION KILL */
  @Command({ name: 'function|kill', arity: 2, flags: ['noscript', 'allow_busy'], ...SUB, summary: 'Kill the function currently in execution.', complexity: 'O(1)', aclCategories: ACL, ...KEYSPACE_DOCS['function|kill'] })
  kill(c: CommandContext): void {
    c.reply.error('NOTBUSY No scripts in execution right now.');
  }

  /** FUNCTION STATS */
  @Command({ name: 'function|stats', arity: 2, flags: ['noscript', 'allow_busy'], ...SUB, summary: 'Return information about the function currently running (name, description, duration)', complexity: 'O(1)', aclCategories: ACL, ...KEYSPACE_DOCS['function|stats'] })
  stats(c: CommandContext): void {
    const r = c.reply;
    r.map(2);
    r.bulk('running_script');
    r.nullBulk();
    r.bulk('engines');
    r.map(1);
    r.bulk('LUA');
    r.map(2);
    r.bulk('libraries_count');
    r.integer(0);
    r.bulk('functions_count');
    r.integer(0);
  }

  /** FUNCTION HELP */
  @Command({ name: 'function|help', arity: 2, flags: ['loading', 'stale'], ...SUB, summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ACL })
  help(c: CommandContext): void {
    writeHelp(c, 'FUNCTION', HELP);
  }
}

