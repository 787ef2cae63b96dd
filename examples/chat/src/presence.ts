import type { RoomMember } from './protocol.ts';

/** One logged-in connection. */
export interface OnlineUser {
  clientId: string;
  name: string;
  node: string;
  room: string;
}

/**
 * Who is online, in which room, on which engine. The worker is the only consumer of the queues,
 * so it sees every login and every leave: this is the one copy every dashboard reads.
 */
export class Presence {
  readonly #users = new Map<string, OnlineUser>();

  get size(): number {
    return this.#users.size;
  }

  get(clientId: string): OnlineUser | undefined {
    return this.#users.get(clientId);
  }

  set(user: OnlineUser): void {
    this.#users.set(user.clientId, { ...user });
  }

  /** Forgets a connection; returns who it was, if it had logged in. */
  remove(clientId: string): OnlineUser | undefined {
    const user = this.#users.get(clientId);
    this.#users.delete(clientId);
    return user;
  }

  /** Forgets every connection of an engine that went down (its end users went with it). */
  removeNode(node: string): OnlineUser[] {
    const gone = [...this.#users.values()].filter((user) => user.node === node);
    for (const user of gone) this.#users.delete(user.clientId);
    return gone;
  }

  /** Everyone in a room, by name. */
  members(room: string): RoomMember[] {
    return this.list()
      .filter((user) => user.room === room)
      .map(({ name, node }) => ({ name, node }));
  }

  /** Everyone online, by name, then engine. */
  list(): OnlineUser[] {
    return [...this.#users.values()].sort(
      (a, b) =>
        a.name.localeCompare(b.name) || a.node.localeCompare(b.node) || a.clientId.localeCompare(b.clientId),
    );
  }
}
