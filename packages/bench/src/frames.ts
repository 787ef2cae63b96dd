/** The data of a queue event of about 200 B: what the default entry pushes for a chat frame. */
export const QUEUE_DATA = {
  ctx: { uid: 10001, name: 'ada' },
  msg: '{"type":"chat","room":"lobby","text":"hello there, everyone"}',
};

/** A queue event of about 200 B, as the engine pushes it (v1.0.2). */
export const QUEUE_EVENT = `{"e":"queue.pop","p":{"c":"1627581697287520263","t":"foo","d":${JSON.stringify(QUEUE_DATA)}},"id":null}`;
