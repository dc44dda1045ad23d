import { errors, type CommandContext } from 'redix-server';
import { parseScore } from '../zsets/zset-args';
import { GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN } from './geohash';

/** extractLongLatOrReply: [longitude, latitude] from two arguments, or null after an error reply. */
export function parseLonLatOrReply(c: CommandContext, lonArg: Buffer, latArg: Buffer): [number, number] | null {
  const lon = parseScore(lonArg);
  if (lon === null) {
    c.reply.error(errors.ERR_NOT_FLOAT);
    return null;
  }
  const lat = parseScore(latArg);
  if (lat === null) {
    c.reply.error(errors.ERR_NOT_FLOAT);
    return null;
  }
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    c.reply.error(`ERR invalid longitude,latitude pair ${lon.toFixed(6)},${lat.toFixed(6)}`);
    return null;
  }
  return [lon, lat];
}

/** extractUnitOrReply: metres per unit, or -1 after an error reply. */
export function parseUnitOrReply(c: CommandContext, arg: Buffer): number {
  const u = arg.latin1Slice(0, arg.length).toLowerCase();
  if (u === 'm') return 1;
  if (u === 'km') return 1000;
  if (u === 'ft') return 0.3048;
  if (u === 'mi') return 1609.34;
  c.reply.error('ERR unsupported unit provided. please use M, KM, FT, MI');
  return -1;
}

/** A non-negative double or null after replying `message` (extractDistanceOrReply's checks). */
export function parseLengthOrReply(c: CommandContext, arg: Buffer, message: string): number | null {
  const d = parseScore(arg);
  if (d === null) {
    c.reply.error(message);
    return null;
  }
  return d;
}
