import { asLuaTable, type Entry } from '@connmix/devmesh';
import { isLoginAttempt, TOPICS, type ActivityEvent } from './protocol.ts';

/** How long a login may wait for the worker before the connection is dropped. */
const LOGIN_TIMEOUT_MS = 10_000;

/**
 * The chat's entry script (what the Lua entry script does on a real engine): every text frame
 * goes to the `chat` topic with the connection's context, and a login holds the connection's
 * next frames until a worker has set its `uid` (or refused it with an empty one).
 */
export const chatEntry: Entry = {
  async onHandshake({ conn, push }) {
    const activity: ActivityEvent = { event: 'join', clientId: conn.clientId, node: conn.node };
    await push(TOPICS.activity, activity);
  },

  async onMessage({ conn, message, push }) {
    if (message.type !== 'text') {
      conn.send(JSON.stringify({ type: 'error', text: 'send JSON text frames' }));
      return;
    }
    await push(TOPICS.chat, { ctx: asLuaTable(conn.context()), msg: message.data });
    if (isLoginAttempt(message.data) && !conn.contextValue('uid')) {
      await conn.waitContextValue('uid', { timeoutMs: LOGIN_TIMEOUT_MS }).catch(() => {
        conn.close(4001, 'login timed out');
      });
    }
  },

  async onClose({ conn, push }) {
    const uid = conn.contextValue('uid');
    const activity: ActivityEvent = {
      event: 'leave',
      clientId: conn.clientId,
      node: conn.node,
      uid: typeof uid === 'string' && uid !== '' ? uid : undefined,
    };
    await push(TOPICS.activity, activity);
  },
};
