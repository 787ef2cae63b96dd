import { asLuaTable, type Entry } from '@connmix/devmesh';
import {
  isLoginAttempt,
  isPing,
  LOGIN_REFUSED,
  TOPICS,
  type ActivityEvent,
  type ChatEvent,
} from './protocol.ts';

/** How long a login may wait for the worker before the connection is dropped. */
const LOGIN_TIMEOUT_MS = 10_000;
const PONG = JSON.stringify({ type: 'pong' } satisfies ChatEvent);

/**
 * The chat's entry script (what the Lua entry script does on a real engine): every text frame
 * goes to the `chat` topic with the connection's context, and a login holds the connection's
 * next frames until a worker has set its `uid` (or refused it with `LOGIN_REFUSED`).
 * A keepalive `{"op":"ping"}` is answered here: it only has to reach the engine to keep the
 * connection past the idle limit, and the worker need not see it.
 */
export const chatEntry: Entry = {
  async onHandshake({ conn, push }) {
    const activity: ActivityEvent = { event: 'join', clientId: conn.clientId, node: conn.node };
    await push(TOPICS.activity, activity);
  },

  async onMessage({ conn, message, push }) {
    if (message.type !== 'text') {
      conn.send(JSON.stringify({ type: 'error', text: 'send JSON text frames' } satisfies ChatEvent));
      return;
    }
    if (isPing(message.data)) {
      conn.send(PONG);
      return;
    }
    await push(TOPICS.chat, { ctx: asLuaTable(conn.context()), msg: message.data });
    if (!isLoginAttempt(message.data) || conn.contextValue('uid') !== undefined) return;
    const uid = await conn.waitContextValue('uid', { timeoutMs: LOGIN_TIMEOUT_MS }).catch(() => {
      conn.close(4001, 'login timed out');
    });
    if (uid === LOGIN_REFUSED) {
      // Forget the refusal, so that the next login attempt waits for the worker again.
      const { uid: _refused, ...rest } = conn.context();
      conn.setContext(rest);
    }
  },

  async onClose({ conn, push }) {
    const uid = conn.contextValue('uid');
    const activity: ActivityEvent = {
      event: 'leave',
      clientId: conn.clientId,
      node: conn.node,
      uid: typeof uid === 'string' && uid !== LOGIN_REFUSED ? uid : undefined,
    };
    await push(TOPICS.activity, activity);
  },
};
