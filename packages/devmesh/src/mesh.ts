import type { Dialect } from '@connmix/core';
import type { Delivery } from './apiReply.ts';
import { Center, type DevCenter } from './center.ts';
import { Engine, type DevEngine, type MeshRouter } from './engine.ts';
import { resolveOptions, type DevMeshOptions } from './options.ts';
import type { EngineStats } from './stats.ts';

/** A running dev mesh: one center and its engines. */
export interface DevMesh {
  /** The center's HTTP API (`center.url` is `http://HOST:PORT`). */
  readonly center: DevCenter;
  /** The engines, in node order (there is always at least one). */
  readonly engines: readonly [DevEngine, ...DevEngine[]];
  readonly dialect: Dialect;
  /** The engine with this node id. */
  engine(node: string): DevEngine | undefined;
  /** Every engine's stats. */
  stats(): EngineStats[];
  /** Stops every engine and the center; resolves once every socket is closed. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts an in-process connmix-compatible mesh for development and tests: a center and
 * `engines` engines, each with an API server and a protocol server.
 *
 * @example
 * const mesh = await startDevMesh({ engines: 2, dialect: 'v1.0.2' });
 * mesh.engines[0].apiUrl;      // ws://127.0.0.1:PORT/ws/v1, for workers
 * mesh.engines[0].protocolUrl; // ws://127.0.0.1:PORT/, for end users
 * await mesh.close();
 */
export async function startDevMesh(options: DevMeshOptions = {}): Promise<DevMesh> {
  const resolved = resolveOptions(options);
  const engines: Engine[] = [];
  const router = createRouter(engines);
  for (const spec of resolved.engines) {
    engines.push(new Engine({ ...spec, options: resolved, router }));
  }
  const running = () => engines.filter((engine) => engine.running);
  const center = new Center({
    port: resolved.centerPort,
    bindHost: resolved.host,
    dialect: resolved.dialect,
    access: resolved.access,
    listNodes: () => running().map((engine) => ({ id: engine.node, apiServer: engine.apiAddress })),
    registry: () => {
      const live = running();
      const channels = new Set(live.flatMap((engine) => engine.clients().flatMap((conn) => conn.channels())));
      return {
        channels: channels.size,
        clients: live.reduce((sum, engine) => sum + engine.clients().length, 0),
        engineNodes: live.length,
      };
    },
  });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= Promise.all([center.stop(), ...engines.map((engine) => engine.retire())]).then(
      () => undefined,
    ));
  try {
    await center.start();
    for (const engine of engines) await engine.start();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    center,
    engines: engines as [Engine, ...Engine[]],
    dialect: resolved.dialect,
    engine: (node) => engines.find((engine) => engine.node === node),
    stats: () => engines.map((engine) => engine.stats()),
    close,
  };
}

/**
 * The mesh between engines, in process. A partitioned engine reaches only its own end users,
 * and no other engine reaches its end users.
 */
function createRouter(engines: readonly Engine[]): MeshRouter {
  const reachable = (from: Engine, to: Engine) => from === to || (!from.partitioned && !to.partitioned);
  return {
    send(from, clientId, payload) {
      for (const engine of engines) {
        const conn = engine.endUser(clientId);
        if (conn === undefined) continue;
        return reachable(from, engine) && conn.deliver(payload, from === engine ? 'local' : 'forward');
      }
      return false;
    },
    publish(from, channel, payload): Delivery {
      const delivery: Delivery = { success: 0, fail: 0 };
      for (const engine of engines) {
        const canReach = reachable(from, engine);
        for (const conn of engine.subscribers(channel)) {
          if (canReach && conn.deliver(payload, from === engine ? 'local' : 'forward')) delivery.success++;
          else delivery.fail++;
        }
      }
      return delivery;
    },
  };
}
