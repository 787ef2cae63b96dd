// wss:// against a server with a self-signed certificate. `node:crypto` cannot make X.509
// certificates, so the certificate and key are committed fixtures: TEST ONLY (see fixtures/README.md).
import { readFileSync } from 'node:fs';
import { ConnmixError } from '@connmix/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { nodeTransport } from '../src/index.ts';
import { startProtocolServer, type ProtocolServerOptions } from '@connmix/test-support/protocolServer';
import { recordTransport } from '@connmix/test-support/recordTransport';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const cert = fixture('test-only-cert.pem');
const key = fixture('test-only-key.pem');

async function tlsServer(tls: ProtocolServerOptions['tls'] = { cert, key }) {
  const started = await startProtocolServer({ tls });
  onTestFinished(() => started.close());
  return started;
}

async function roundTrip(recorded: ReturnType<typeof recordTransport>): Promise<string | Uint8Array> {
  await recorded.opened;
  recorded.transport.send('{"m":"server.ping","p":[],"i":1}');
  const frame = await recorded.nextMessage();
  recorded.transport.close();
  await recorded.closed;
  return frame;
}

describe('nodeTransport over wss://', () => {
  it('refuses a self-signed certificate by default', async () => {
    const engine = await tlsServer();
    expect(engine.url).toMatch(/^wss:\/\/localhost:\d+\/ws\/v1$/);
    const recorded = recordTransport(nodeTransport(), engine.url);
    expect(await recorded.closed).toEqual({ code: 1006, reason: '' });
    const [error] = recorded.errors();
    expect(error).toBeInstanceOf(ConnmixError);
    expect(error?.message).toMatch(
      /^WebSocket error on wss:\/\/localhost:\d+\/ws\/v1: self[- ]signed certificate$/,
    );
    expect(recorded.events.map((event) => event.type)).toEqual(['error', 'close']);
  });

  it('connects when the certificate is trusted through `ca`', async () => {
    const engine = await tlsServer();
    const recorded = recordTransport(nodeTransport({ ca: cert }), engine.url);
    expect(await roundTrip(recorded)).toBe('{"E":null,"r":{"s":"server.pong"},"i":1}');
  });

  it('checks the host name against the certificate', async () => {
    const engine = await tlsServer();
    // The certificate names localhost only: the same server reached as 127.0.0.1 is refused.
    const url = engine.url.replace('localhost', '127.0.0.1');
    const recorded = recordTransport(nodeTransport({ ca: cert }), url);
    expect(await recorded.closed).toEqual({ code: 1006, reason: '' });
    expect(recorded.errors()[0]?.message).toMatch(/Hostname\/IP does not match certificate's altnames/);
  });

  it('connects to an untrusted certificate with rejectUnauthorized: false', async () => {
    const engine = await tlsServer();
    const recorded = recordTransport(nodeTransport({ rejectUnauthorized: false }), engine.url);
    expect(await roundTrip(recorded)).toBe('{"E":null,"r":{"s":"server.pong"},"i":1}');
  });

  it('presents a client certificate (cert + key) to a server that requires one', async () => {
    const engine = await tlsServer({ cert, key, ca: cert, requestCert: true });
    const without = recordTransport(nodeTransport({ ca: cert }), engine.url);
    expect(await without.closed).toMatchObject({ code: 1006 });
    expect(without.errors()).toHaveLength(1);
    expect(without.events.some((event) => event.type === 'open')).toBe(false);

    const withCert = recordTransport(nodeTransport({ ca: cert, cert, key }), engine.url);
    expect(await roundTrip(withCert)).toBe('{"E":null,"r":{"s":"server.pong"},"i":1}');
  });
});
