// tRPC's minimal responder for the benchmarks, over its ws adapter.
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { announce } from './announce.ts';
import { router } from './trpcRouter.ts';

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
applyWSSHandler({ wss, router });
wss.on('listening', () => announce(wss.address()));
