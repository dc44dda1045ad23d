import { definePlugin } from 'redix-server';
import { BitcountBitposCommands } from './bitcount-bitpos-commands';
import { BitfieldCommand } from './bitfield-command';
import { BitopCommand } from './bitop-command';
import { SetbitGetbitCommands } from './setbit-getbit-commands';

/**
 * Bitmaps: SETBIT/GETBIT, BITCOUNT/BITPOS, BITOP and BITFIELD over the strings plugin's values
 * (latin1 JS strings, one byte a character), so GET, DUMP and RDB see the very same bytes.
 */
export default definePlugin({
  name: 'bitmaps',
  commands: [SetbitGetbitCommands, BitcountBitposCommands, BitopCommand, BitfieldCommand],
});
