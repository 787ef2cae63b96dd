// The credentials matrix of the cluster client: passwords holding every character that broke
// redaction, written raw or percent-encoded into node and center URLs, searched for (whole and
// in part) in every id, event, message and cause chain the cluster shows.
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../errors/errors.ts';
import { basicToken } from '../errors/redact.ts';
import {
  leaks,
  PASSWORDS,
  refusedRaw,
  shown,
  userinfo,
  USERNAME,
  type UrlForm,
} from '../errors/testing/credentialMatrix.ts';
import { createCluster } from './createCluster.ts';
import {
  engineUrl,
  entry,
  push,
  settle,
  startCluster,
  type ClusterHarness,
} from './testing/clusterHarness.ts';
import { createFakeTransport } from '../client/testing/fakeTransport.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

const CID = '1627581697287520263';
const FORMS: UrlForm[] = ['raw', 'percent-encoded'];
const cases = PASSWORDS.flatMap((password) => FORMS.map((form) => ({ password, form })));

/** Everything the cluster showed: its nodes, every event, every message and their causes. */
function everything(harness: ClusterHarness): string {
  return shown(
    {
      nodes: harness.cluster.nodes,
      nodesEvents: harness.nodesEvents,
      errors: harness.errors,
      messages: harness.messages,
    },
    inspect,
  );
}

describe('static node URLs with credentials', () => {
  it.each(cases)(
    '$form password $password: ids, nodes, events, messages and errors',
    async ({ password, form }) => {
      const url = `ws://${userinfo(password, form)}10.0.0.1:6789/ws/v1`;
      if (form === 'raw' && refusedRaw(password)) {
        let error: unknown;
        try {
          createCluster({ nodes: [url], transport: createFakeTransport().factory });
        } catch (thrown) {
          error = thrown;
        }
        expect(error).toBeInstanceOf(ValidationError);
        expect(leaks(shown(error, inspect), password)).toEqual([]);
        return;
      }
      const harness = startCluster({ nodes: [url, { id: 'b', url: url.replace('10.0.0.1', '10.0.0.2') }] });
      const { cluster, fake } = harness;
      const connected = cluster.connect();
      // The engine client got the URL as given: the transport sends the credentials.
      expect(fake.sockets.map((s) => s.url)).toEqual([url, url.replace('10.0.0.1', '10.0.0.2')]);
      expect(cluster.nodes.map(({ id, url: shownUrl }) => [id, shownUrl])).toEqual([
        [engineUrl(1), 'ws://***@10.0.0.1:6789/ws/v1'],
        ['b', 'ws://***@10.0.0.2:6789/ws/v1'],
      ]);
      fake.sockets[0]!.open();
      await connected;
      push(fake.sockets[0]!, 'foo', { msg: 'hi' }, CID);
      expect(harness.messages.map((m) => m.node)).toEqual([engineUrl(1)]);
      // A transport that quotes the URL it was given, in its message and in a field of its cause.
      const cause = Object.assign(new Error(`getaddrinfo ENOTFOUND for ${url}`), { input: url });
      fake.sockets[1]!.fail(new Error(`cannot open ${url} (${password})`, { cause }));
      await settle();
      expect(harness.errors.map((e) => [e.kind, e.node])).toEqual([['transport', 'b']]);
      expect(leaks(everything(harness), password)).toEqual([]);
      await cluster.close();
    },
  );
});

describe('center URLs with credentials', () => {
  it.each(cases)(
    '$form password $password: discovery authenticates, nothing shows it',
    async ({ password, form }) => {
      const center = `http://${userinfo(password, form)}center.test:6787`;
      if (form === 'raw' && refusedRaw(password)) {
        expect(() => createCluster({ center, transport: createFakeTransport().factory })).toThrow(
          ValidationError,
        );
        return;
      }
      const harness = startCluster({ center }, [entry(1)]);
      const token = basicToken({ username: USERNAME, password });
      // A center whose 401 answer echoes the request, header included, and names the password.
      harness.center.next.push({
        status: 401,
        body: `{"error":"bad credentials","headers":{"authorization":"Basic ${token}"},"user":"${USERNAME}","password":${JSON.stringify(password)}}`,
      });
      void harness.cluster.connect().catch(() => {});
      await settle();
      expect(harness.center.requests[0]!.url).toBe('http://center.test:6787/v1/nodes');
      // Decoded where WHATWG URL ends the userinfo, so a password holding @ arrives whole.
      expect(harness.center.requests[0]!.init.headers['authorization']).toBe(`Basic ${token}`);
      expect(harness.errors.map((e) => e.kind)).toEqual(['discovery']);
      expect(harness.errors[0]).toMatchObject({ center: 'http://***@center.test:6787' });
      expect(harness.errors[0]!.error.message).toMatch(
        /^GET http:\/\/center\.test:6787\/v1\/nodes answered HTTP 401: /,
      );
      // The retry (backoff) finds the engine.
      vi.advanceTimersByTime(1_000);
      await settle();
      expect(harness.cluster.nodes.map((n) => n.id)).toEqual(['1']);
      expect(leaks(everything(harness), password)).toEqual([]);
      await harness.cluster.close();
    },
  );

  it('takes a fetch failure that quotes the credentials out of its message and causes', async () => {
    const password = PASSWORDS[2]!;
    const harness = startCluster({
      center: `http://${userinfo(password, 'percent-encoded')}center.test:6787`,
    });
    harness.center.next.push(
      new TypeError('fetch failed', {
        cause: Object.assign(new Error(`connect ECONNREFUSED (user ${USERNAME}:${password})`), {
          code: 'ECONNREFUSED',
        }),
      }),
    );
    void harness.cluster.connect().catch(() => {});
    await settle();
    expect(harness.errors).toHaveLength(1);
    expect(leaks(everything(harness), password)).toEqual([]);
    expect(harness.errors[0]!.error.cause).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    await harness.cluster.close();
  });
});
