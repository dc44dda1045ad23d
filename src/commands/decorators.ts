/**
 * Decorators only write metadata onto the class; boot reads it once into the frozen command table.
 * Metadata keys are global symbols so that a plugin compiled against another copy of this package
 * (a plugin in its own node_modules, or loaded from dist while the kernel runs from source) is read
 * the same way.
 */
import { injectable } from 'tsyringe';
import type { CommandSpec, ContainerSpec } from './command-spec';

const COMMANDS_KEY = Symbol.for('redix.commands');
const MODULE_KEY = Symbol.for('redix.command-module');

export interface CommandMethodMeta {
  spec: CommandSpec;
  method: string | symbol;
}

export interface CommandModuleOptions {
  /** Container commands this module's "parent|sub" commands live under. */
  containers?: ContainerSpec[];
}

type Constructor = new (...args: never[]) => object;

/** Marks a class as a command module; its constructor parameters are injected by @inject tokens. */
export function CommandModule(options: CommandModuleOptions = {}): ClassDecorator {
  return (target) => {
    Object.defineProperty(target, MODULE_KEY, { value: options, enumerable: false });
    injectable()(target as unknown as Constructor);
  };
}

/** Declares a method as the handler of a command. */
export function Command(spec: CommandSpec): MethodDecorator {
  return (target, method) => {
    const ctor = target.constructor as unknown as Record<symbol, CommandMethodMeta[] | undefined>;
    const own = Object.prototype.hasOwnProperty.call(ctor, COMMANDS_KEY) ? ctor[COMMANDS_KEY]! : [];
    own.push({ spec, method });
    Object.defineProperty(ctor, COMMANDS_KEY, { value: own, enumerable: false, configurable: true });
  };
}

export function isCommandModule(target: unknown): boolean {
  return typeof target === 'function' && Object.prototype.hasOwnProperty.call(target, MODULE_KEY);
}

export function readCommandModule(target: Function): { options: CommandModuleOptions; commands: CommandMethodMeta[] } {
  const record = target as unknown as Record<symbol, unknown>;
  return {
    options: (record[MODULE_KEY] as CommandModuleOptions | undefined) ?? {},
    commands: (record[COMMANDS_KEY] as CommandMethodMeta[] | undefined) ?? [],
  };
}

const PROVIDER_KEY = Symbol.for('redix.provider');

export type ProviderKind = 'storage-engine' | 'persistence' | 'replication';

export interface ProviderMeta {
  kind: ProviderKind;
  name: string;
}

function providerDecorator(kind: ProviderKind, name: string): ClassDecorator {
  return (target) => {
    Object.defineProperty(target, PROVIDER_KEY, { value: { kind, name }, enumerable: false });
    injectable()(target as unknown as Constructor);
  };
}

/** Registers a storage engine class under a name the config's `storage` option selects. */
export function StorageEngineProvider(name: string): ClassDecorator {
  return providerDecorator('storage-engine', name);
}

/** Registers a persistence provider class under a name the config's `persistence` list selects. */
export function PersistenceProvider(name: string): ClassDecorator {
  return providerDecorator('persistence', name);
}

/** Registers a replication provider class under a name the config's `replication` option selects. */
export function ReplicationProvider(name: string): ClassDecorator {
  return providerDecorator('replication', name);
}

export function readProviderMeta(target: Function): ProviderMeta | undefined {
  return (target as unknown as Record<symbol, ProviderMeta | undefined>)[PROVIDER_KEY];
}
