import type { DeliveryResult } from '@connmix/node';
import { assertEncodable, messageData } from './messageData.ts';
import type { Command } from './runCommand.ts';

const flags = { binary: { type: 'boolean' } } as const;

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
      const data = messageData(text, binary);
      const type = binary ? ({ type: 'binary' } as const) : {};
      assertEncodable(
        connection.dialect,
        name === 'send'
          ? { method: 'mesh.send', clientId: to, data: text, ...type }
          : { method: 'mesh.publish', channel: to, data: text, ...type },
      );
      const target = await open();
      const options = { signal, timeoutMs: connection.timeoutMs };
      let result: DeliveryResult;
      if (target.kind === 'cluster') {
        result = await target.cluster[name](to, data, { ...options, node: connection.node });
      } else {
        result = await target.client[name](to, data, options);
      }
      const { success, fail, total } = result;
      print({ success, fail, total }, `success=${success} fail=${fail} total=${total}`);
      return 0;
    },
  };
}
