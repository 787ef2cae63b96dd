// The fields of the neutral requests: the key each one has on the wire, the dialects that have
// it, and the patterns and messages of their rules, shared by the codec's validator and the zod
// schemas (`FIELD_SCHEMAS`); the dev mesh reads the wire keys.
// This module must stay free of zod: the client bundle imports it.
import type { Dialect } from './dialect.ts';

export const CLIENT_ID_PATTERN = /^\d{1,20}$/;
export const CHANNEL_PATTERN = /^\S+$/;
export const MESSAGE_TYPES = ['text', 'binary'] as const;

export const MESSAGES = {
  clientId: 'a client id is a string of 1 to 20 decimal digits',
  channel: 'a channel name is a non-empty string without spaces',
  topic: 'a topic name cannot be empty',
  topics: 'pop at least one topic',
  func: 'a function name cannot be empty',
} as const;

export interface Field {
  /** The key of the field in a request's params on the wire. */
  readonly wire: string;
  /** The dialects that have the field (all when absent). */
  readonly dialects?: readonly Dialect[];
}

/** Each field of the neutral requests (its rule: `FIELD_SCHEMAS`, and the codec's validator). */
export const FIELDS = {
  topics: { wire: 't' },
  clientId: { wire: 'c' },
  channel: { wire: 'c' },
  func: { wire: 'f' },
  args: { wire: 'a' },
  data: { wire: 'd' },
  type: { wire: 't', dialects: ['v1.0.3'] },
} as const satisfies Record<string, Field>;

export type FieldName = keyof typeof FIELDS;
