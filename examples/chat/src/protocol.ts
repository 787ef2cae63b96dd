// What end users and the chat exchange: JSON text frames, one command or event each.

/** A frame an end user sends. */
export type ChatCommand =
  { op: 'login'; name: string } | { op: 'say'; text: string; room?: string | undefined };

/** A frame the chat sends to end users (directly, or published to a room). */
export type ChatEvent =
  | { type: 'welcome'; name: string; room: string }
  | { type: 'joined'; name: string; room: string }
  | { type: 'said'; name: string; room: string; text: string }
  | { type: 'announcement'; text: string }
  | { type: 'error'; text: string };

/** Where every user lands after logging in. */
export const LOBBY = 'lobby';

/** Topics the entry pushes to: chat commands, and connection activity for the dashboard. */
export const TOPICS = { chat: 'chat', activity: 'activity' } as const;

/** What the entry pushes to the `activity` topic. */
export interface ActivityEvent {
  event: 'join' | 'leave';
  clientId: string;
  node: string;
  uid?: string | undefined;
}

const NAME = /^[\p{L}\p{N}_-]{1,24}$/u;

/** Reads a command from an end user's frame; `undefined` if it is not one. */
export function parseCommand(text: string): ChatCommand | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const command = value as Record<string, unknown>;
  if (command['op'] === 'login' && typeof command['name'] === 'string' && NAME.test(command['name'])) {
    return { op: 'login', name: command['name'] };
  }
  if (command['op'] === 'say' && typeof command['text'] === 'string' && command['text'].length <= 2000) {
    const room = command['room'];
    if (room !== undefined && (typeof room !== 'string' || !/^\S{1,64}$/.test(room))) return undefined;
    return { op: 'say', text: command['text'], room };
  }
  return undefined;
}

/** Whether a frame asks to log in (valid or not): the entry holds the connection until it is answered. */
export function isLoginAttempt(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && (value as { op?: unknown }).op === 'login';
  } catch {
    return false;
  }
}
