/** How a call leaves the books: the manager unlinks it from every list it is in. */
export interface CallOwner {
  release(call: PendingCall): void;
}

/**
 * One call between its start and its settlement: everything it needs is on this one object, and
 * its behaviour is on the prototype, so a pending call costs one object, its promise and that promise's two functions.
 * It settles exactly once, whichever of answer, error, timeout, abort or connection loss comes
 * first; the rest find it settled and do nothing.
 */
export class PendingCall {
  // The constructor's fields are `declare`d: a class field would first define each as `undefined`.
  /** Undefined for a text `ping`, which has no id. */
  declare readonly id: number | undefined;
  /** The method (or `ping`): names the call in errors. */
  declare readonly what: string;
  /** The frame to send; emptied once it went out, so an answered-late call holds no copy. */
  declare frame: string;
  declare readonly timeoutMs: number;
  sent = false;
  sentAt = 0;
  settled = false;
  /** Removes the abort listener; undefined when the call has no signal. */
  stopListening: (() => void) | undefined = undefined;
  /** Set by the deadline queue. */
  deadline = 0;
  /** It resolves with its round trip (`{ rttMs }`, a ping), not with its method's normalized result. */
  declare readonly roundTrip: boolean;
  readonly #owner: CallOwner;
  #resolve: ((value: unknown) => void) | undefined = undefined;
  #reject: ((error: unknown) => void) | undefined = undefined;

  constructor(
    owner: CallOwner,
    id: number | undefined,
    what: string,
    frame: string,
    timeoutMs: number,
    roundTrip: boolean,
  ) {
    this.#owner = owner;
    this.id = id;
    this.what = what;
    this.frame = frame;
    this.timeoutMs = timeoutMs;
    this.roundTrip = roundTrip;
  }

  /** The promise of the call's value; made once, right after the call is created. */
  promise<T>(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#resolve = resolve as (value: unknown) => void;
      this.#reject = reject;
    });
  }

  /** Settles with the value its owner made of the answer (see `roundTrip`). */
  resolve(value: unknown): void {
    if (this.settled) return;
    this.#settle();
    this.#resolve!(value);
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.#settle();
    this.#reject!(error);
  }

  #settle(): void {
    this.settled = true;
    this.stopListening?.();
    this.stopListening = undefined;
    this.#owner.release(this);
  }
}
