import type { PendingCall } from './pendingCall.ts';

/**
 * An intrusive doubly linked list of calls: the links live on the call, so adding, removing from
 * anywhere and taking the first are O(1) and allocate nothing. A call is in at most one list at
 * a time (waiting to be sent, or sent and waiting for its answer).
 */
export class CallList {
  #head: PendingCall | undefined;
  #tail: PendingCall | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get first(): PendingCall | undefined {
    return this.#head;
  }

  push(call: PendingCall): void {
    call.list?.remove(call);
    call.list = this;
    call.prev = this.#tail;
    call.next = undefined;
    if (this.#tail) this.#tail.next = call;
    else this.#head = call;
    this.#tail = call;
    this.#size += 1;
  }

  unshift(call: PendingCall): void {
    call.list?.remove(call);
    call.list = this;
    call.prev = undefined;
    call.next = this.#head;
    if (this.#head) this.#head.prev = call;
    else this.#tail = call;
    this.#head = call;
    this.#size += 1;
  }

  remove(call: PendingCall): void {
    if (call.list !== this) return;
    const { prev, next } = call;
    if (prev) prev.next = next;
    else this.#head = next;
    if (next) next.prev = prev;
    else this.#tail = prev;
    call.prev = call.next = call.list = undefined;
    this.#size -= 1;
  }

  /** Empties the list and returns its calls in order (for settling them all). */
  drain(): PendingCall[] {
    const calls: PendingCall[] = [];
    for (let call = this.#head; call; call = call.next) calls.push(call);
    for (const call of calls) call.prev = call.next = call.list = undefined;
    this.#head = this.#tail = undefined;
    this.#size = 0;
    return calls;
  }
}
