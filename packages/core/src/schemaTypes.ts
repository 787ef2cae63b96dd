// The types of the zod schemas that have no type of their own beside them, inferred here so the
// main entry can name them without exporting a schema: the values stay at `@connmix/core/schema`,
// and an application that imports the client never loads zod.
import type * as z from 'zod';
import type * as schema from './schema/index.ts';

/** A channel name: any string without spaces. */
export type Channel = z.infer<typeof schema.Channel>;
/** A queue topic name (non-empty). */
export type Topic = z.infer<typeof schema.Topic>;
/** An engine node id, always a string. */
export type NodeId = z.infer<typeof schema.NodeId>;
/** `server.ping`, as `client.request` takes it. */
export type ServerPingRequest = z.infer<typeof schema.ServerPingRequest>;
/** `queue.pop`, as `client.request` takes it. */
export type QueuePopRequest = z.infer<typeof schema.QueuePopRequest>;
/** `queue.unpop`, as `client.request` takes it. */
export type QueueUnpopRequest = z.infer<typeof schema.QueueUnpopRequest>;
/** `conn.call`, as `client.request` takes it. */
export type ConnCallRequest = z.infer<typeof schema.ConnCallRequest>;
/** `mesh.send`, as `client.request` takes it. */
export type MeshSendRequest = z.infer<typeof schema.MeshSendRequest>;
/** `mesh.publish`, as `client.request` takes it. */
export type MeshPublishRequest = z.infer<typeof schema.MeshPublishRequest>;
