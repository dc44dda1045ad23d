import { compileGlob } from '../keyspace/glob';
import {
  ConfigValueError, formatOptionValue, parseOptionText, parseOptionValue,
  type ConfigOptionSpec, type ConfigValue,
} from './option-types';

export type ConfigChangeListener = (value: ConfigValue, name: string) => void;

/**
 * The effective configuration of one server, keyed by redis.conf name. CONFIG GET/SET and the
 * plugins read it; plugins add their own options before values are applied.
 */
export class ConfigStore {
  private readonly specs = new Map<string, ConfigOptionSpec>();
  private readonly aliases = new Map<string, string>();
  private readonly values = new Map<string, ConfigValue>();
  private readonly listeners = new Map<string, ConfigChangeListener[]>();

  constructor(specs: readonly ConfigOptionSpec[] = []) {
    for (const spec of specs) this.define(spec);
  }

  define(spec: ConfigOptionSpec): void {
    if (this.specs.has(spec.name) || this.aliases.has(spec.name)) {
      throw new Error(`config option "${spec.name}" is defined twice`);
    }
    this.specs.set(spec.name, spec);
    for (const alias of spec.aliases ?? []) this.aliases.set(alias, spec.name);
    this.values.set(spec.name, parseOptionText(spec, spec.default));
  }

  /** The canonical spec for a name or alias (case-insensitive), or undefined. */
  spec(name: string): ConfigOptionSpec | undefined {
    const lower = name.toLowerCase();
    return this.specs.get(this.aliases.get(lower) ?? lower);
  }

  allSpecs(): ConfigOptionSpec[] {
    return [...this.specs.values()];
  }

  get<T extends ConfigValue>(name: string): T {
    const spec = this.spec(name);
    if (spec === undefined) throw new Error(`unknown config option "${name}"`);
    return this.values.get(spec.name) as T;
  }

  getText(name: string): string {
    const spec = this.spec(name)!;
    return formatOptionValue(spec, this.values.get(spec.name)!);
  }

  /** Applies a typed or text value (config file, flags); throws ConfigValueError. */
  apply(name: string, value: unknown): void {
    const spec = this.spec(name);
    if (spec === undefined) throw new ConfigValueError(`unknown option "${name}"`);
    this.store(spec, this.normalized(spec, parseOptionValue(spec, value)));
  }

  /** CONFIG SET of one option at run time; throws ConfigValueError with Redis's wording. */
  setAtRuntime(name: string, text: string): void {
    const spec = this.spec(name);
    if (spec === undefined) throw new ConfigValueError('unknown');
    if (!spec.mutable) throw new ConfigValueError('can\'t set immutable config');
    this.store(spec, this.normalized(spec, parseOptionText(spec, text)));
  }

  /** A valid value as the option shows it (e.g. client-output-buffer-limit merged with the previous one). */
  private normalized(spec: ConfigOptionSpec, value: ConfigValue): ConfigValue {
    if (spec.normalize === undefined || typeof value !== 'string') return value;
    return spec.normalize(value, this.getText(spec.name));
  }

  private store(spec: ConfigOptionSpec, value: ConfigValue): void {
    this.values.set(spec.name, value);
    for (const listener of this.listeners.get(spec.name) ?? []) listener(value, spec.name);
  }

  /** Calls `listener` whenever the option changes (CONFIG SET). */
  onChange(name: string, listener: ConfigChangeListener): void {
    const spec = this.spec(name);
    if (spec === undefined) throw new Error(`unknown config option "${name}"`);
    const list = this.listeners.get(spec.name) ?? [];
    list.push(listener);
    this.listeners.set(spec.name, list);
  }

  /** [name, text] pairs for CONFIG GET with a glob pattern (aliases match too, as in Redis 7). */
  match(pattern: string): [string, string][] {
    const matches = compileGlob(pattern.toLowerCase(), true);
    const out: [string, string][] = [];
    for (const spec of this.specs.values()) {
      if (spec.hidden !== true && matches(spec.name)) out.push([spec.name, this.getText(spec.name)]);
    }
    for (const [alias, name] of this.aliases) {
      if (this.specs.get(name)?.hidden !== true && matches(alias)) out.push([alias, this.getText(name)]);
    }
    return out;
  }
}
