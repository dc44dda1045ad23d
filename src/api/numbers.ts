/**
 * `redix-server/numbers`: Redis's 80-bit long double arithmetic and its `%.17Lg`-style printing, as
 * INCRBYFLOAT and HINCRBYFLOAT need it to give the same digits as Redis.
 */
export { parseLongDouble, addLongDouble, formatLongDoubleHuman, longDoubleFromBigInt, LONG_DOUBLE_ZERO, type LongDouble } from '../commands/long-double';
