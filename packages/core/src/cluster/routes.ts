/**
 * Which engine holds each end-user connection, learned from the messages it sent: `conn.call`
 * runs only on that engine. Bounded: past `capacity` client ids, the one seen least recently is
 * forgotten (a `Map` keeps insertion order, so re-inserting on each sighting makes it an LRU).
 */
export class RouteTable {
  readonly #capacity: number;
  readonly #nodes = new Map<string, string>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Client ids remembered now; never above the capacity. */
  get size(): number {
    return this.#nodes.size;
  }

  /** A message from `clientId` came through `node`. */
  learn(clientId: string, node: string): void {
    this.#nodes.delete(clientId);
    this.#nodes.set(clientId, node);
    if (this.#nodes.size > this.#capacity) {
      const oldest = this.#nodes.keys().next();
      if (!oldest.done) this.#nodes.delete(oldest.value);
    }
  }

  /** The engine that holds `clientId`, if a message of it was seen (and not forgotten since). */
  nodeOf(clientId: string): string | undefined {
    const node = this.#nodes.get(clientId);
    if (node !== undefined) {
      // Being called is being in use: keep it over ids nobody asks about.
      this.#nodes.delete(clientId);
      this.#nodes.set(clientId, node);
    }
    return node;
  }

  /** `clientId` is not on `node` any more (the engine said so); a newer sighting elsewhere stays. */
  forget(clientId: string, node: string): void {
    if (this.#nodes.get(clientId) === node) this.#nodes.delete(clientId);
  }

  /** The engine left the cluster: its connections are gone with it. */
  forgetNode(node: string): void {
    for (const [clientId, holder] of this.#nodes) {
      if (holder === node) this.#nodes.delete(clientId);
    }
  }

  clear(): void {
    this.#nodes.clear();
  }
}
