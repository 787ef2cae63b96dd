// What end users and the chat exchange: JSON text frames, one command or event each.

/** A frame an end user sends. */
export type ChatCommand =
  | { op: 'login'; name: string; password: string }
  | { op: 'join'; room: string }
  | { op: 'say'; text: string }
  | { op: 'ping' };

/** Someone in a room, as the chat shows them. */
export interface RoomMember {
  name: string;
  /** The engine that holds the connection. */
  node: string;
}

/** A frame the chat sends to end users (directly, or published to a room). */
export type ChatEvent =
  | { type: 'welcome'; name: string; room: string; rooms: readonly string[] }
  | { type: 'refused'; text: string }
  | { type: 'joined'; name: string; room: string }
  | { type: 'left'; name: string; room: string }
  | { type: 'presence'; room: string; members: RoomMember[] }
  | { type: 'said'; name: string; room: string; text: string }
  | { type: 'announcement'; text: string }
  | { type: 'pong' }
  | { type: 'error'; text: string };

/** The rooms a user can join; everyone lands in the first. */
export const ROOMS = ['lobby', 'random', 'help'] as const;
export const LOBBY = ROOMS[0];

/** The example's users: any name logs in with this password, any other password is refused. */
export const DEMO_PASSWORD = 'demo';

/**
 * What the worker sets `uid` to when it refuses a login: it releases the entry's
 * `waitContextValue('uid')` like a real uid would, and tells the entry to forget it.
 */
export const LOGIN_REFUSED = '\u0000refused';

/** Topics the entry pushes to: chat commands, and connection activity for the worker's presence. */
export const TOPICS = { chat: 'chat', activity: 'activity' } as const;

/** What the entry pushes to the `activity` topic. */
export interface ActivityEvent {
  event: 'join' | 'leave';
  clientId: string;
  node: string;
  uid?: string | undefined;
}

const NAME = /^[\p{L}\p{N}_-]{1,24}$/u;
/** Longest message a user may say, in UTF-16 units. */
export const MAX_TEXT = 2000;

/** Reads a command from an end user's frame; `undefined` if it is not one. */
export function parseCommand(text: string): ChatCommand | undefined {
  const command = parseObject(text);
  if (command === undefined) return undefined;
  switch (command['op']) {
    case 'login': {
      const { name, password } = command;
      if (typeof name !== 'string' || !NAME.test(name) || typeof password !== 'string') return undefined;
      return { op: 'login', name, password };
    }
    case 'join': {
      const { room } = command;
      return typeof room === 'string' && (ROOMS as readonly string[]).includes(room)
        ? { op: 'join', room }
        : undefined;
    }
    case 'say': {
      const { text: said } = command;
      return typeof said === 'string' && said.trim() !== '' && said.length <= MAX_TEXT
        ? { op: 'say', text: said }
        : undefined;
    }
    case 'ping':
      return { op: 'ping' };
    default:
      return undefined;
  }
}

/** Whether a frame asks to log in (valid or not): the entry holds the connection until it is answered. */
export function isLoginAttempt(text: string): boolean {
  return parseObject(text)?.['op'] === 'login';
}

/** Whether a frame is the page's keepalive, which the entry answers itself. */
export function isPing(text: string): boolean {
  return parseObject(text)?.['op'] === 'ping';
}

/** A uid the worker set for a user who logged in (not empty, not the refusal). */
export function loggedInName(uid: unknown): string | undefined {
  return typeof uid === 'string' && uid !== '' && uid !== LOGIN_REFUSED ? uid : undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
