// The public surface of `@connmix/devmesh`. Each export is named here once.
export { startDevMesh } from './mesh.ts';
export { DEFAULT_DEV_MESH_OPTIONS } from './options.ts';
export { defaultEntry, asLuaTable } from './entry.ts';
export { QueueFullError } from './queue.ts';
export { createSnowflake } from './snowflake.ts';
export { loadLuaEntry, LUA_ENTRY_DEFAULTS } from './lua/luaEntry.ts';
export { LuaScriptError } from './lua/luaScriptError.ts';

export type { DevMesh } from './mesh.ts';
export type { DevEngine, InjectedError } from './engine.ts';
export type { CenterNode, DevCenter } from './center.ts';
export type {
  ApiServerOptions,
  DevMeshOptions,
  DevMeshPorts,
  ProtocolServerOptions,
  QueueFullPolicy,
  QueueOptions,
} from './options.ts';
export type { Entry, EntryConnection, EntryEvent, EntryHookName, EntryMessage } from './entry.ts';
export type { AccessOptions, AccessRole, AccessUser } from './access.ts';
export type { EngineCounters, EngineStats } from './stats.ts';
export type { SnowflakeOptions } from './snowflake.ts';
export type { LuaEntry, LuaEntryOptions, LuaLogRecord } from './lua/luaEntry.ts';
export type { LuaEra } from './lua/hookEra.ts';
export type { LuaLogLevel } from './lua/mixBridge.ts';
