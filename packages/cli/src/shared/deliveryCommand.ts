import { createRestClient, type DeliveryResult } from '@connmix/node';
import { assertEncodable, messageData } from './messageData.ts';
import { UsageError, type Command } from './runCommand.ts';

const flags = { binary: { type: 'boolean' }, rest: { type: 'boolean' } } as const;

/** The flags `send` and `publish` take beside the connection flags. */
export type DeliveryFlags = typeof flags;

/**
 * `send <clientId> <data>` and `publish <channel> <data>`: one `mesh.*` request, whose delivery
 * counts are printed as `success=1 fail=0 total=1` (or `{"success":1,"fail":0,"total":1}`).
 */
export function deliveryCommand(name: 'send' | 'publish', usage: string): Command<DeliveryFlags> {
  return {
    name,
    usage,
    flags,
    node: true,
    positionals: { min: 2, max: 2, synopsis: name === 'send' ? '<clientId> <data>' : '<channel> <data>' },
    async run({ open, connection, flags, positionals, signal, print }) {
      const [to = '', text = ''] = positionals;
      const binary = flags.binary === true;
      const rest = flags.rest === true;
      const { endpoint } = connection;
      if (rest && endpoint.kind !== 'engine') {
        throw new UsageError('--rest posts to one engine: give --url, not --center');
      }
      const data = messageData(text, binary);
      const type = binary ? ({ type: 'binary' } as const) : {};
      assertEncodable(
        // The REST endpoints exist from v1.0.3 on, whatever --dialect says.
        rest ? 'v1.0.3' : connection.dialect,
        name === 'send'
          ? { method: 'mesh.send', clientId: to, data: text, ...type }
          : { method: 'mesh.publish', channel: to, data: text, ...type },
      );
      const options = { signal, timeoutMs: connection.timeoutMs };
      let result: DeliveryResult;
      if (endpoint.kind === 'engine' && rest) {
        const client = createRestClient({ url: restBase(endpoint.url), auth: connection.auth });
        result = await client[name](to, data, options);
      } else {
        const target = await open();
        result =
          target.kind === 'cluster'
            ? await target.cluster[name](to, data, { ...options, node: connection.node })
            : await target.client[name](to, data, options);
      }
      const { success, fail, total } = result;
      print({ success, fail, total }, `success=${success} fail=${fail} total=${total}`);
      return 0;
    },
  };
}

/** `ws://HOST:PORT/ws/v1` → `http://HOST:PORT`: the REST endpoints are on the API server's port. */
function restBase(apiUrl: string): string {
  const url = new URL(apiUrl);
  return `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}`;
}
