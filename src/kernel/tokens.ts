/**
 * Injection tokens. Global symbols, so plugins built against another copy of this package resolve
 * the same registrations. Inject with `@inject(TOKENS.Server)`: no decorator metadata is needed.
 */
export const TOKENS = {
  /** ServerContext: keyspace, config, stats, info, clients. */
  Server: Symbol.for('redix:Server'),
  /** ConfigStore of the server. */
  Config: Symbol.for('redix:Config'),
  /** Keyspace of the server. */
  Keyspace: Symbol.for('redix:Keyspace'),
  /** The plugin's own winston child logger. */
  Logger: Symbol.for('redix:Logger'),
  /** The options the config file gave the plugin (`['name', { ... }]`), or {}. */
  PluginOptions: Symbol.for('redix:PluginOptions'),
  /** DataTypeRegistry. */
  DataTypes: Symbol.for('redix:DataTypes'),
  /** InfoRegistry. */
  Info: Symbol.for('redix:Info'),
} as const;
