// nats-core's minimal responder for the benchmarks, in its own process: a subscription on
// `publish` that answers every request at once, through the nats-server at port argv[2].
import { connect } from '@nats-io/transport-node';

const port = Number(process.argv[2]);
const nc = await connect({ servers: `127.0.0.1:${port}` });
const answer = JSON.stringify({ success: 1, fail: 0, total: 1 });
nc.subscribe('publish', { callback: (_error, message) => void message.respond(answer) });
await nc.flush(); // the subscription is on the server before the parent sends a request
process.send?.({ port });
