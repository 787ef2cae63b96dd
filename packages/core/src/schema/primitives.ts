import * as z from 'zod';
import { DIALECT_NAMES } from '../grammar/dialect.ts';
import { CHANNEL_PATTERN, CLIENT_ID_PATTERN, MESSAGE_TYPES, MESSAGES } from '../grammar/fields.ts';

/** The two wire dialects: `v1.0.2` (array params, the default) and `v1.0.3` (object params). */
export const Dialect = z.enum(DIALECT_NAMES);
export type Dialect = z.infer<typeof Dialect>;

/** The zod form of the grammar's `isNatural`: request ids and delivery counts. */
export const natural = () => z.int().nonnegative();

/** Request ids are chosen by the client: non-negative safe integers. */
export const RequestId = /* @__PURE__ */ natural();

/** A 64-bit snowflake, always a decimal string: it must never pass through a JS number. */
export const ClientId = z.string().regex(CLIENT_ID_PATTERN, { error: MESSAGES.clientId });
export type ClientId = z.infer<typeof ClientId>;

/** Engine node ids: numbers in the docs, strings such as `c9gn78jin5670olm1rhg` in engine logs. */
export const NodeId = z.string();

/** Queue topic names. */
export const Topic = z.string().min(1, { error: MESSAGES.topic });

/** Channel names: any string without spaces. */
export const Channel = z.string().regex(CHANNEL_PATTERN, { error: MESSAGES.channel });

/** Message type of `mesh.*` (`binary` exists in v1.0.3 only; its data is base64). */
export const MessageType = z.enum(MESSAGE_TYPES);
export type MessageType = z.infer<typeof MessageType>;
