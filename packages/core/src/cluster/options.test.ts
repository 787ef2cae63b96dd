import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.ts';
import { createFakeTransport } from '../client/testing/fakeTransport.ts';
import { createCluster } from './createCluster.ts';
import { CLUSTER_DEFAULTS, resolveClusterOptions, splitNodeOption, type ClusterOptions } from './options.ts';

const transport = createFakeTransport().factory;

function issuesOf(options: unknown): Array<[string, string]> {
  try {
    createCluster(options as ClusterOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((issue) => [issue.path.join('.'), issue.message]);
  }
  throw new Error('createCluster accepted the options');
}

describe('cluster options', () => {
  it('fills in the defaults and keeps the client options for every engine', () => {
    const resolved = resolveClusterOptions({ center: 'http://c:6787', transport, dialect: 'v1.0.3' });
    expect(CLUSTER_DEFAULTS).toEqual({ resyncIntervalMs: 60_000, routeCapacity: 100_000 });
    expect(resolved).toMatchObject({
      source: { kind: 'center', center: 'http://c:6787' },
      resyncIntervalMs: 60_000,
      routeCapacity: 100_000,
      client: { transport, dialect: 'v1.0.3' },
      defaults: { requestTimeoutMs: 10_000, dialect: 'v1.0.3' },
    });
    expect(resolved.client).not.toHaveProperty('center');
    expect(
      resolveClusterOptions({ nodes: ['ws://a/ws/v1', { id: 'b', url: 'ws://b/ws/v1' }], transport }).source,
    ).toEqual({
      kind: 'static',
      nodes: [
        { id: 'ws://a/ws/v1', url: 'ws://a/ws/v1' },
        { id: 'b', url: 'ws://b/ws/v1' },
      ],
    });
  });

  it('lists every problem, the client options included, with its path', () => {
    expect(issuesOf({ transport })).toEqual([
      ['', 'give either center (the URL of the center, for discovery) or nodes (engine URLs), not both'],
    ]);
    expect(
      issuesOf({
        center: 'ws://c',
        transport: 1,
        heartbeat: { intervalMs: -1 },
        resyncIntervalMs: 0,
        routeCapacity: 1.5,
        fetch: 'yes',
        url: 'ws://x',
      }),
    ).toEqual([
      ['transport', 'transport is a TransportFactory: pass browserTransport() or nodeTransport()'],
      ['heartbeat.intervalMs', 'heartbeat.intervalMs is a positive number of ms'],
      ['url', 'a cluster has no url: give center (discovery) or nodes (a list of engine URLs)'],
      ['center', 'center is the http(s) URL of the center, e.g. http://127.0.0.1:6787'],
      ['resyncIntervalMs', 'resyncIntervalMs is a positive number of ms'],
      ['routeCapacity', 'routeCapacity is a positive integer (a client id count)'],
      ['fetch', 'fetch is a function'],
    ]);
    expect(
      issuesOf({ nodes: ['ws://a/ws/v1', 'not a url', { id: 'ws://a/ws/v1', url: 'ws://b' }], transport }),
    ).toEqual([
      ['nodes.1', 'a node is an engine API URL (ws://host:6789/ws/v1) or { id, url }'],
      ['nodes.2', 'node id ws://a/ws/v1 is given twice'],
    ]);
    expect(issuesOf({ nodes: [], transport })).toEqual([
      ['nodes', 'nodes is a non-empty array of engine URLs or { id, url }'],
    ]);
    expect(issuesOf({ center: 'http://c', nodes: ['ws://a'], transport })[0]![0]).toBe('nodes');
    expect(issuesOf(null)).toEqual([['', 'createCluster takes an options object']]);
  });

  it('splits { node } off call options and checks it', () => {
    expect(splitNodeOption('x', { node: '2', timeoutMs: 5 })).toEqual({
      node: '2',
      options: { timeoutMs: 5 },
    });
    expect(splitNodeOption('x', { timeoutMs: 5 })).toEqual({ node: undefined, options: { timeoutMs: 5 } });
    expect(splitNodeOption('x', undefined)).toEqual({ node: undefined, options: undefined });
    expect(() => splitNodeOption('mesh.send request', { node: 2 })).toThrow(
      'invalid mesh.send request at node: node is the id of an engine of cluster.nodes',
    );
  });
});
