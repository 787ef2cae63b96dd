import type { AbortSignalLike } from '../runtime/abort.ts';
import type { CallOptions, ResolvedCallOptions } from '../client/options.ts';
import { now } from '../runtime/timers.ts';
import { ValidationError, type ServerError } from '../errors/errors.ts';
import type { ClusterState } from './clusterState.ts';
import type { Engine, EngineSet } from './engineSet.ts';
import { splitNodeOption } from './options.ts';
import { findOwner, isElsewhere, type EngineAttempt } from './ownerSearch.ts';
import type { RouteTable } from './routes.ts';

export interface RouterDeps {
  engines: EngineSet;
  routes: RouteTable;
  state: ClusterState;
  /** Checks the call options, refuses a closed cluster, starts an idle one. */
  usable(what: string, options: CallOptions | undefined): ResolvedCallOptions;
}

/** An engine for one call, with the options to pass to its client. */
interface Routed {
  engine: Engine;
  options: CallOptions | undefined;
}

/**
 * Picks the engine of each call: for `conn.call` the one that holds the end-user connection, for
 * `mesh.*` and `ping` the next open one (round robin), unless the call names one with `{ node }`.
 */
export class Router {
  readonly #deps: RouterDeps;

  constructor(deps: RouterDeps) {
    this.#deps = deps;
  }

  /**
   * Runs a `conn.call` on the engine that holds `clientId`: `{ node }` if given, else the one its
   * last message came through, else the one that accepts it when every engine is asked (see
   * `findOwner`), which is then remembered. A remembered engine that answers 301 may be stale (the
   * end user reconnected elsewhere): the other engines are asked too. Sent synchronously when the
   * engine is known, so calls go out in the order they were made.
   */
  async onOwner<T>(clientId: string, options: unknown, attempt: EngineAttempt<T>): Promise<T> {
    const what = 'conn.call request';
    const { node, options: callOptions } = splitNodeOption(what, options);
    const { timeoutMs, signal } = this.#deps.usable(what, callOptions);
    if (node !== undefined) return attempt(this.#byId(what, node), callOptions ?? {});
    const { engines, routes } = this.#deps;
    const deadline = now() + timeoutMs;
    const known = routes.nodeOf(clientId);
    const remembered = known === undefined ? undefined : engines.get(known);
    const refusals: Array<{ engine: Engine; error: ServerError }> = [];
    if (remembered) {
      try {
        return await attempt(remembered, callOptions ?? {});
      } catch (error) {
        if (!isElsewhere(error)) throw error;
        routes.forget(clientId, remembered.id);
        refusals.push({ engine: remembered, error });
      }
    }
    if (engines.size === 0) await this.#deps.state.waitForOpen(what, Math.max(1, deadline - now()), signal);
    const others = engines.list().filter((engine) => engine !== remembered);
    if (others.length === 0 && refusals[0]) throw refusals[0].error;
    const { engine, result } = await findOwner({
      what,
      clientId,
      engines: others,
      attempt,
      timeoutMs: Math.max(1, deadline - now()),
      signal,
      refusals,
    });
    routes.learn(clientId, engine.id);
    return result;
  }

  /** Runs `call` on `{ node }` or the next open engine: at once when one is open, else once one is. */
  viaAnyOpen<T>(
    what: string,
    options: unknown,
    call: (engine: Engine, options: CallOptions | undefined) => Promise<T>,
  ): Promise<T> {
    const { node, options: callOptions } = splitNodeOption(what, options);
    const routed = this.#anyOpen(what, node, callOptions, this.#deps.usable(what, callOptions));
    if (routed instanceof Promise) return routed.then((r) => call(r.engine, r.options));
    return call(routed.engine, routed.options);
  }

  /**
   * `node`, else the next open engine, waiting for one within the call's deadline; the options
   * passed on carry what is left of that deadline. Synchronous when no wait is needed, so calls
   * go out in the order they were made.
   */
  #anyOpen(
    what: string,
    node: string | undefined,
    options: CallOptions | undefined,
    call: { timeoutMs: number; signal: AbortSignalLike | undefined },
  ): Routed | Promise<Routed> {
    if (node !== undefined) return { engine: this.#byId(what, node), options };
    const engine = this.#deps.engines.nextOpen();
    if (engine) return { engine, options };
    return this.#waitForOpen(what, call.timeoutMs, call.signal);
  }

  async #waitForOpen(what: string, timeoutMs: number, signal: AbortSignalLike | undefined): Promise<Routed> {
    const { engines, state } = this.#deps;
    const deadline = now() + timeoutMs;
    for (;;) {
      await state.waitForOpen(what, Math.max(1, deadline - now()), signal);
      const engine = engines.nextOpen();
      if (engine) return { engine, options: { signal, timeoutMs: Math.max(1, deadline - now()) } };
    }
  }

  /** The engine with this id; `ValidationError` naming the known ones if there is none. */
  #byId(what: string, id: string): Engine {
    const { engines } = this.#deps;
    const engine = engines.get(id);
    if (engine) return engine;
    const known = engines.list().map((e) => e.id);
    throw new ValidationError(what, [
      {
        path: ['node'],
        message: `no engine ${id} in this cluster (nodes: ${known.length > 0 ? known.join(', ') : 'none yet'})`,
      },
    ]);
  }
}
