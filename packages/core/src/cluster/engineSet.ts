import type { Client } from '../client/client.ts';
import type { ClientErrorEvent } from '../client/events.ts';
import type { QueueMessage } from '../client/queueMessage.ts';
import { createRedactor, maskUserinfo, secretsOfUrl, type Redactor } from '../errors/redact.ts';
import type { EngineAddress } from './discovery.ts';
import type { ClusterNode } from './events.ts';

/** One engine of the cluster and the client the cluster keeps for it. */
export interface Engine {
  readonly id: string;
  readonly url: string;
  readonly client: Client;
}

/** What the cluster does when an engine joins, leaves, changes state or reports something. */
export interface EngineSetHooks {
  /** A client was created for a new engine (not connected yet). */
  joined(engine: Engine): void;
  /** The engine left the list, or its client closed on its own: it is forgotten. */
  left(engine: Engine): void;
  /** The engine's client is open (again). */
  opened(engine: Engine): void;
  /** The set or an engine's state changed. */
  changed(): void;
  message(engine: Engine, message: QueueMessage): void;
  error(engine: Engine, event: ClientErrorEvent): void;
}

interface Member extends Engine {
  readonly off: Array<() => void>;
  /** Takes this engine's URL credentials out of what its client reports (a custom transport may quote the URL). */
  readonly redactor: Redactor;
}

/**
 * The engine clients of a cluster, one per engine, in the order the engines joined. An engine
 * whose URL changed is a new engine: its old client is closed and a new one made.
 */
export class EngineSet {
  readonly #create: (url: string) => Client;
  readonly #hooks: EngineSetHooks;
  readonly #members = new Map<string, Member>();
  #turn = 0;

  constructor(create: (url: string) => Client, hooks: EngineSetHooks) {
    this.#create = create;
    this.#hooks = hooks;
  }

  get size(): number {
    return this.#members.size;
  }

  get(id: string): Engine | undefined {
    return this.#members.get(id);
  }

  list(): Engine[] {
    return [...this.#members.values()];
  }

  /** The next open engine, round robin; undefined when none is open. */
  nextOpen(): Engine | undefined {
    const open = this.list().filter((engine) => engine.client.state === 'open');
    if (open.length === 0) return undefined;
    const engine = open[this.#turn % open.length];
    this.#turn = (this.#turn + 1) % Number.MAX_SAFE_INTEGER;
    return engine;
  }

  /** The engines as `cluster.nodes` lists them. */
  snapshot(): ClusterNode[] {
    return this.list().map(({ id, url, client }) => ({ id, url: maskUserinfo(url), state: client.state }));
  }

  /** Makes the set match `addresses`: engines that left are closed, new ones get a client and connect. */
  apply(addresses: readonly EngineAddress[]): void {
    const wanted = new Map(addresses.map((address) => [address.id, address.url]));
    for (const member of this.list()) {
      if (wanted.get(member.id) !== member.url) this.remove(member.id);
    }
    for (const [id, url] of wanted) {
      if (!this.#members.has(id)) this.#add(id, url);
    }
    this.#hooks.changed();
  }

  /** Closes the engine's client and forgets the engine. */
  remove(id: string): void {
    const member = this.#members.get(id);
    if (!member) return;
    this.#members.delete(id);
    for (const off of member.off) off();
    void member.client.close();
    this.#hooks.left(member);
  }

  /** Closes every client, without reporting anything more. */
  async closeAll(): Promise<void> {
    const members = [...this.#members.values()];
    this.#members.clear();
    for (const member of members) for (const off of member.off) off();
    await Promise.all(members.map((member) => member.client.close()));
  }

  #add(id: string, url: string): void {
    const client = this.#create(url);
    const off: Array<() => void> = [];
    const member: Member = { id, url, client, off, redactor: createRedactor(secretsOfUrl(url)) };
    this.#members.set(id, member);
    off.push(
      client.on('state', ({ to }) => {
        if (this.#members.get(id) !== member) return;
        // Only a client that gave up (reconnect: false) closes on its own; the next resync brings it back.
        if (to === 'closed') this.remove(id);
        else if (to === 'open') this.#hooks.opened(member);
        this.#hooks.changed();
      }),
      client.on('message', (message) => this.#hooks.message(member, message)),
      client.on('error', (event) =>
        this.#hooks.error(member, {
          ...event,
          error: member.redactor.error(event.error),
        } as ClientErrorEvent),
      ),
    );
    this.#hooks.joined(member);
    // Failures show as state changes and error events; connect() itself is only the trigger.
    client.connect().catch(() => {});
  }
}
