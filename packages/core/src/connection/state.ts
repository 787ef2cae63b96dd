/** Where a client is in its life. `closed` is final. */
export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** One change of state, emitted once. */
export interface StateChange {
  from: ClientState;
  to: ClientState;
}
