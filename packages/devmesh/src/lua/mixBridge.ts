import { createHash } from 'node:crypto';
import type { EntryConnection, EntryEvent } from '../entry.ts';
import type { LuaVm } from './luaVm.ts';
import { LuaBytes } from './luaBytes.ts';
import { parseUrl } from './parseUrl.ts';

/** A `mix.log` level, by name. */
export type LuaLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What the bridge needs from the script that owns it. */
export interface BridgeHost {
  /** The connection with this client id on the script's engine; throws when it is gone. */
  conn(clientId: string): EntryConnection;
  /** The event of the hook running now (the one that called into the bridge). */
  current(): EntryEvent;
  /** Keeps `pending` under a ticket the hook's coroutine yields with; its values resume it. */
  ticket(pending: Promise<unknown[]>): number;
  log(level: LuaLogLevel, message: string): void;
  readFile(path: string): Buffer | undefined;
  serverOption(name: string): string | undefined;
  /** `protocol: socket`: conn:send writes bytes as they are. */
  readonly rawSend: boolean;
}

/** A bad argument or a failed call: becomes a Lua error at the caller's line. */
class BridgeError extends Error {}

type Impl = (L: number, vm: LuaVm) => number;

/**
 * Installs global `__connmix_bridge`: the host functions behind `mix.*` and `conn:*`. Each reads
 * its arguments and pushes its results through the raw API; the prelude takes the table away
 * from scripts before they run.
 */
export function installBridge(vm: LuaVm, host: BridgeHost): void {
  const text = (L: number, i: number) => (vm.isNil(L, i) ? '' : vm.readString(L, i));
  const optional = (L: number, i: number) => (vm.isNil(L, i) ? undefined : vm.readString(L, i));
  const cid = (L: number) => text(L, 1);
  const returnsError = (L: number, error: unknown) => {
    vm.pushString(L, error instanceof Error ? error.message : String(error));
    return 1;
  };
  /** A frame for an end user: a `binary` type or a non-UTF-8 string goes as bytes. */
  const payload = (L: number, i: number, typeAt: number): string | Uint8Array => {
    const bytes = vm.readBytes(L, i);
    const type = optional(L, typeAt);
    if (type !== undefined && type !== 'text' && type !== 'binary')
      throw new BridgeError(`type is "text" or "binary", got "${type}"`);
    return type === 'binary' ? new Uint8Array(bytes) : bytes.toString('utf8');
  };
  const digest =
    (algorithm: 'md5' | 'sha1', hex: boolean): Impl =>
    (L) => {
      const hash = createHash(algorithm).update(vm.readBytes(L, 1));
      if (hex) vm.pushString(L, hash.digest('hex'));
      else vm.pushBytes(L, hash.digest());
      return 1;
    };
  const channels = (L: number) => {
    const list: string[] = [];
    for (let i = 2; i <= vm.argCount(L); i++) list.push(text(L, i));
    return list;
  };

  const functions: Record<string, Impl> = {
    log(L) {
      const level = text(L, 1);
      host.log((['debug', 'info', 'warn', 'error'] as const).find((l) => l === level) ?? 'info', text(L, 2));
      return 0;
    },
    json_encode(L) {
      let json: string | undefined;
      try {
        json = JSON.stringify(vm.read(L, 1));
      } catch (error) {
        throw new BridgeError(`json_encode: ${(error as Error).message}`);
      }
      vm.pushString(L, json ?? 'null');
      return 1;
    },
    json_decode(L) {
      let value: unknown;
      try {
        value = JSON.parse(text(L, 1));
      } catch (error) {
        throw new BridgeError(`json_decode: ${(error as Error).message}`);
      }
      vm.push(L, value);
      return 1;
    },
    base64_encode(L) {
      vm.pushString(L, vm.readBytes(L, 1).toString('base64'));
      return 1;
    },
    base64_decode(L) {
      const encoded = text(L, 1);
      // Go's StdEncoding is strict where Buffer.from is lenient
      if (encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded))
        throw new BridgeError('illegal base64 data');
      vm.pushBytes(L, Buffer.from(encoded, 'base64'));
      return 1;
    },
    md5: digest('md5', true),
    md5_bin: digest('md5', false),
    sha1: digest('sha1', true),
    sha1_bin: digest('sha1', false),
    parse_str(L) {
      vm.push(L, parseUrl(text(L, 1)));
      return 1;
    },
    read_file(L) {
      const source = host.readFile(text(L, 1));
      if (source === undefined) vm.pushNil(L);
      else vm.pushBytes(L, source);
      return 1;
    },
    server_option(L) {
      const value = host.serverOption(text(L, 1));
      if (value === undefined) vm.pushNil(L);
      else vm.pushString(L, value);
      return 1;
    },
    remote_addr(L) {
      vm.pushString(L, host.conn(cid(L)).remoteAddress);
      return 1;
    },
    context(L) {
      vm.push(L, host.conn(cid(L)).context());
      return 1;
    },
    context_value(L) {
      vm.push(L, host.conn(cid(L)).contextValue(text(L, 2)));
      return 1;
    },
    set_context(L) {
      const value = vm.read(L, 2);
      const context = Array.isArray(value) && value.length === 0 ? {} : value;
      if (
        typeof context !== 'object' ||
        context === null ||
        Array.isArray(context) ||
        context instanceof LuaBytes
      )
        throw new BridgeError('set_context takes a table with string keys');
      host.conn(cid(L)).setContext(context as Record<string, unknown>);
      return 0;
    },
    set_context_value(L) {
      host.conn(cid(L)).setContextValue(text(L, 2), vm.read(L, 3));
      return 0;
    },
    subscribe(L) {
      try {
        host.conn(cid(L)).subscribe(...channels(L));
      } catch (error) {
        return returnsError(L, error);
      }
      return 0;
    },
    unsubscribe(L) {
      host.conn(cid(L)).unsubscribe(...channels(L));
      return 0;
    },
    close(L) {
      host.conn(cid(L)).close();
      return 0;
    },
    send(L) {
      const conn = host.conn(cid(L));
      const data = host.rawSend ? new Uint8Array(vm.readBytes(L, 2)) : payload(L, 2, 3);
      conn.send(data);
      return 0;
    },
    wait_context_value(L) {
      const conn = host.conn(cid(L));
      vm.push(L, host.ticket(conn.waitContextValue(text(L, 2)).then((value) => [value])));
      return 1;
    },
    queue_push(L) {
      const topic = text(L, 2);
      let data: unknown;
      try {
        data = vm.read(L, 3);
      } catch (error) {
        throw new BridgeError(`mix.queue.push: ${(error as Error).message}`);
      }
      const pushed = host
        .current()
        .push(topic, data)
        .then(
          () => [1],
          (error: unknown) => [null, error instanceof Error ? error.message : String(error)],
        );
      vm.push(L, host.ticket(pushed));
      return 1;
    },
    mesh_send(L) {
      const target = text(L, 1);
      const delivered = host.current().meshSend(target, payload(L, 2, 3));
      if (delivered) return 0;
      vm.pushString(L, `client ${target} is not connected to the mesh`);
      return 1;
    },
    mesh_publish(L) {
      const delivery = host.current().meshPublish(text(L, 1), payload(L, 2, 3));
      vm.push(L, delivery.success);
      vm.push(L, delivery.fail);
      return 2;
    },
  };

  vm.pushTable();
  for (const [name, impl] of Object.entries(functions)) {
    vm.pushFunction((L) => {
      let message: string;
      try {
        return impl(L, vm);
      } catch (error) {
        // Emscripten unwinds a longjmp (a Lua error) by throwing Infinity: let it through.
        if (error === Infinity) throw error;
        message = error instanceof Error ? error.message : String(error);
      }
      return vm.raise(L, message);
    });
    vm.setField(name);
  }
  vm.setGlobal('__connmix_bridge');
}
