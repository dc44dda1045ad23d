/**
 * Config option kinds. Each parses from redis.conf text (flags, CONFIG SET) and from the typed
 * values a config file holds, and formats back to the text CONFIG GET returns.
 */
export type OptionKind = 'int' | 'bool' | 'string' | 'enum' | 'memory' | 'save' | 'hostport';

export interface ConfigOptionSpec {
  /** The redis.conf directive name, e.g. "hash-max-listpack-entries". */
  name: string;
  /** Older names accepted everywhere (e.g. "slaveof", "hash-max-ziplist-entries"). */
  aliases?: string[];
  kind: OptionKind;
  /** Default in redis.conf text form, e.g. "yes", "1mb", "3600 1 300 100 60 10000". */
  default: string;
  min?: number;
  max?: number;
  /** For enums: allowed values. */
  values?: string[];
  /** Whether CONFIG SET may change it while running. */
  mutable?: boolean;
  /** CONFIG SET refuses it unless enable-protected-configs allows (Redis's PROTECTED_CONFIG: dir, dbfilename). */
  protected?: boolean;
  /** Values in [min, max] are stored brought into this range, as Redis does for hz (1..500). */
  clamp?: [number, number];
  /**
   * For string options: checks a value beyond its kind (flags, config file, CONFIG SET) and
   * returns Redis's error text, or null when it is fine (`dir` must be an existing directory).
   */
  validate?: (text: string) => string | null;
  /** For string options: the text CONFIG GET shows for a valid new text, given the previous one. */
  normalize?: (text: string, previous: string) => string;
  /** For string options: the text CONFIG GET shows for the stored (normalized) value, when it differs. */
  display?: (value: string) => string;
  /** One line for the config reference and --help. */
  description: string;
  /** Not listed by CONFIG GET with a pattern, only when asked by name (Redis's HIDDEN_CONFIG). */
  hidden?: boolean;
}

export type ConfigValue = string | number | boolean | SavePoint[] | HostPort | null;

export interface SavePoint {
  seconds: number;
  changes: number;
}

export interface HostPort {
  host: string;
  port: number;
}

export class ConfigValueError extends Error {}

/** Redis's LLONG_MAX as a bound; a double, so it is printed by boundText. */
export const LLONG_MAX = 2 ** 63;

function boundText(n: number | undefined, fallback: string): string {
  if (n === undefined) return fallback;
  if (n === LLONG_MAX) return '9223372036854775807';
  if (n === -LLONG_MAX) return '-9223372036854775808';
  return String(n);
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1000, kb: 1024, m: 1000 * 1000, mb: 1024 * 1024, g: 1000 * 1000 * 1000, gb: 1024 * 1024 * 1024,
};

/** Parses an integer as Redis's config parser does (optional sign, digits only). */
function parseInteger(text: string): number | null {
  if (!/^-?\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

export function parseMemory(text: string): number | null {
  // An empty value is 0, as Redis's memtoull reads it.
  if (text.trim() === '') return 0;
  // Unsigned, as Redis's memtoull: "-1" is not a memory value.
  const m = /^(\d+)([a-z]*)$/i.exec(text.trim());
  if (m === null) return null;
  const unit = MEMORY_UNITS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  return Number(m[1]) * unit;
}

function parseSave(text: string): SavePoint[] | null {
  const parts = text.trim().split(/\s+/).filter((p) => p !== '');
  if (parts.length % 2 !== 0) return null;
  const points: SavePoint[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const seconds = parseInteger(parts[i]);
    const changes = parseInteger(parts[i + 1]);
    if (seconds === null || changes === null || seconds < 1 || changes < 0) return null;
    points.push({ seconds, changes });
  }
  return points;
}

function parseHostPort(text: string): HostPort | null | undefined {
  const t = text.trim();
  if (t === '' || t.toLowerCase() === 'no one') return null;
  const parts = t.split(/\s+/);
  if (parts.length !== 2) return undefined;
  const port = parseInteger(parts[1]);
  if (port === null || port < 0 || port > 65535) return undefined;
  return { host: parts[0], port };
}

/** Parses redis.conf text; throws ConfigValueError with what was expected. */
export function parseOptionText(spec: ConfigOptionSpec, text: string): ConfigValue {
  switch (spec.kind) {
    case 'int': {
      const n = parseInteger(text.trim());
      if (n === null) throw new ConfigValueError('argument couldn\'t be parsed into an integer');
      return checkRange(spec, n);
    }
    case 'memory': {
      const n = parseMemory(text);
      if (n === null) throw new ConfigValueError('argument must be a memory value');
      return checkRange(spec, n);
    }
    case 'bool': {
      const t = text.trim().toLowerCase();
      if (t === 'yes') return true;
      if (t === 'no') return false;
      throw new ConfigValueError('argument must be \'yes\' or \'no\'');
    }
    case 'enum': {
      const t = text.trim().toLowerCase();
      if (!spec.values!.includes(t)) throw new ConfigValueError(`argument(s) must be one of the following: ${spec.values!.join(', ')}`);
      return t;
    }
    case 'save': {
      const points = parseSave(text);
      if (points === null) throw new ConfigValueError('Invalid save parameters');
      return points;
    }
    case 'hostport': {
      const hp = parseHostPort(text);
      if (hp === undefined) throw new ConfigValueError('expected "host port" or "no one"');
      return hp;
    }
    case 'string': {
      const problem = spec.validate?.(text) ?? null;
      if (problem !== null) throw new ConfigValueError(problem);
      return text;
    }
  }
}

function checkRange(spec: ConfigOptionSpec, n: number): number {
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
    throw new ConfigValueError(`argument must be between ${boundText(spec.min, '-inf')} and ${boundText(spec.max, 'inf')} inclusive`);
  }
  if (spec.clamp !== undefined) return Math.min(spec.clamp[1], Math.max(spec.clamp[0], n));
  return n;
}

/** Accepts a typed value from a config file (number, boolean, array) or its text form. */
export function parseOptionValue(spec: ConfigOptionSpec, value: unknown): ConfigValue {
  if (typeof value === 'string') return parseOptionText(spec, value);
  switch (spec.kind) {
    case 'int':
    case 'memory':
      if (typeof value === 'number' && Number.isInteger(value)) return checkRange(spec, value);
      throw new ConfigValueError(spec.kind === 'int' ? 'expected an integer' : 'expected a number of bytes or a string like "64mb"');
    case 'bool':
      if (typeof value === 'boolean') return value;
      throw new ConfigValueError('expected true/false or "yes"/"no"');
    case 'save':
      if (Array.isArray(value)) {
        const text = value.map((p) => (Array.isArray(p) ? p.join(' ') : String(p))).join(' ');
        return parseOptionText(spec, text);
      }
      throw new ConfigValueError('expected a string like "3600 1 300 100" or an array of [seconds, changes]');
    case 'hostport':
      if (value === null) return null;
      if (typeof value === 'object' && value !== null && 'host' in value && 'port' in value) {
        return parseOptionText(spec, `${String((value as HostPort).host)} ${String((value as HostPort).port)}`);
      }
      throw new ConfigValueError('expected "host port", { host, port } or null');
    default:
      throw new ConfigValueError(`expected a ${spec.kind === 'enum' ? `one of ${spec.values!.join(', ')}` : 'string'}`);
  }
}

/** The text CONFIG GET returns. */
export function formatOptionValue(spec: ConfigOptionSpec, value: ConfigValue): string {
  switch (spec.kind) {
    case 'bool':
      return value ? 'yes' : 'no';
    case 'save':
      return (value as SavePoint[]).map((p) => `${p.seconds} ${p.changes}`).join(' ');
    case 'hostport':
      return value === null ? '' : `${(value as HostPort).host} ${(value as HostPort).port}`;
    default:
      return spec.display === undefined ? String(value) : spec.display(String(value));
  }
}

/** redis.conf name → config-file key: "hash-max-listpack-entries" → "hashMaxListpackEntries". */
export function camelCaseOf(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
