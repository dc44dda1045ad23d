/**
 * `redix-server/numbers`: Redis's 80-bit long double arithmetic and its `%.17Lg`-style printing, as
 * INCRBYFLOAT and HINCRBYFLOAT need it to give the same digits as Redis, and the conversions and
 * `%La` text module types' long double fields use (saveLongDouble / loadLongDoubleExact).
 */
export { parseLongDouble, addLongDouble, formatLongDoubleHuman, longDoubleFromBigInt, LONG_DOUBLE_ZERO, type LongDouble } from '../commands/long-double';
export { longDoubleFromNumber, longDoubleToNumber, formatLongDoubleHex } from '../commands/long-double-convert';
