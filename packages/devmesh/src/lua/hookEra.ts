/**
 * The hook style of an entry script:
 * - `v1.0.2`: `on_connect(conn)`, `protocol_input(buf, conn)`, `on_message(data, conn)`,
 *   `on_close(err, conn)` over raw bytes (v1.0.1 scripts too: `init()` runs once at load);
 * - `v1.0.3-websocket`: the engine parses WebSocket (`protocol: websocket`):
 *   `on_handshake(client_id, headers, server)`, `on_message(msg)`, `on_close(client_id, err)`;
 * - `v1.0.3-socket`: raw bytes (`protocol: socket`) with `protocol_input(buf)` and friends.
 */
export type LuaEra = 'v1.0.2' | 'v1.0.3-websocket' | 'v1.0.3-socket';

/** The hooks each era requires, as the docs list them. */
const REQUIRED: Record<LuaEra, readonly string[]> = {
  'v1.0.2': ['on_connect', 'protocol_input', 'protocol_decode', 'protocol_encode', 'on_message', 'on_close'],
  'v1.0.3-websocket': ['on_handshake', 'on_message', 'on_close'],
  'v1.0.3-socket': [
    'on_connect',
    'protocol_input',
    'protocol_decode',
    'protocol_encode',
    'on_message',
    'on_close',
  ],
};

/**
 * Picks the era from the hooks a script defines (name -> parameter count): no `protocol_input`
 * means the engine parses WebSocket (v1.0.3); `protocol_input(buf, conn)` is v1.0.2 and
 * `protocol_input(buf)` is v1.0.3's socket protocol.
 */
export function detectEra(hooks: Readonly<Record<string, number>>): LuaEra {
  const input = hooks['protocol_input'];
  if (input === undefined) return 'v1.0.3-websocket';
  return input >= 2 ? 'v1.0.2' : 'v1.0.3-socket';
}

/** The required hooks a script lacks for its era. */
export function missingHooks(era: LuaEra, hooks: Readonly<Record<string, number>>): string[] {
  return REQUIRED[era].filter((name) => hooks[name] === undefined);
}

/** Whether the era's end users reach the script as raw bytes. */
export function isSocketEra(era: LuaEra): boolean {
  return era !== 'v1.0.3-websocket';
}
