// The fields of the neutral requests: the key each one has on the wire, and the rule its value
// follows, with the message that explains a broken one. The codec's validator checks these, the
// zod schemas declare the same rules, the dev mesh reads the wire keys: one statement of each.
// This module must stay free of zod: the client bundle imports it.
import type { ValidationIssue } from '../errors/errors.ts';
import type { Dialect } from './dialect.ts';

export const CLIENT_ID_PATTERN = /^\d{1,20}$/;
export const CHANNEL_PATTERN = /^\S+$/;
export const MESSAGE_TYPES = ['text', 'binary'] as const;

export const MESSAGES = {
  clientId: 'a client id is a string of 1 to 20 decimal digits',
  channel: 'a channel name is a non-empty string without spaces',
  topic: 'a topic name cannot be empty',
  topics: 'pop at least one topic',
  topicList: 'topics is an array of topic names',
  func: 'a function name cannot be empty',
  args: 'args is an array',
  data: 'data is a string',
  type: "type is 'text' or 'binary'",
} as const;

/** A number is the likely mistake for a client id, and the worst one: it has already lost digits. */
function clientIdMessage(value: unknown): string {
  return typeof value === 'number' || typeof value === 'bigint'
    ? `client ids are 64-bit and must be passed as decimal strings; the ${typeof value} ${String(value)} may already have lost precision`
    : MESSAGES.clientId;
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** Adds the issues of one field's value to `issues`; allocates nothing when the value is valid. */
export type FieldCheck = (issues: ValidationIssue[], value: unknown, key: string) => void;

export interface Field {
  /** The key of the field in a request's params on the wire. */
  readonly wire: string;
  /** The dialects that have the field (all when absent). */
  readonly dialects?: readonly Dialect[];
  readonly check: FieldCheck;
}

export const FIELDS = {
  topics: {
    wire: 't',
    check(issues, topics, key) {
      if (!Array.isArray(topics)) {
        issues.push({ path: [key], message: MESSAGES.topicList });
        return;
      }
      for (let i = 0; i < topics.length; i += 1) {
        const topic: unknown = topics[i];
        if (!isString(topic) || topic === '') issues.push({ path: [key, i], message: MESSAGES.topic });
      }
      if (topics.length === 0) issues.push({ path: [key], message: MESSAGES.topics });
    },
  },
  clientId: {
    wire: 'c',
    check(issues, value, key) {
      if (!isString(value) || !CLIENT_ID_PATTERN.test(value))
        issues.push({ path: [key], message: clientIdMessage(value) });
    },
  },
  channel: {
    wire: 'c',
    check(issues, value, key) {
      if (!isString(value) || !CHANNEL_PATTERN.test(value))
        issues.push({ path: [key], message: MESSAGES.channel });
    },
  },
  func: {
    wire: 'f',
    check(issues, value, key) {
      if (!isString(value) || value === '') issues.push({ path: [key], message: MESSAGES.func });
    },
  },
  args: {
    wire: 'a',
    check(issues, value, key) {
      if (!Array.isArray(value)) issues.push({ path: [key], message: MESSAGES.args });
    },
  },
  data: {
    wire: 'd',
    check(issues, value, key) {
      if (!isString(value)) issues.push({ path: [key], message: MESSAGES.data });
    },
  },
  type: {
    wire: 't',
    dialects: ['v1.0.3'],
    check(issues, value, key) {
      if (value !== undefined && value !== 'text' && value !== 'binary')
        issues.push({ path: [key], message: MESSAGES.type });
    },
  },
} as const satisfies Record<string, Field>;

export type FieldName = keyof typeof FIELDS;
