// A CORS-enabling reverse proxy in front of dev mesh engines, for the browser tests of the REST
// client. A page on another origin needs one in front of an engine (the engine sends no CORS
// headers), as a dashboard needs a trusted proxy in front of the API in production.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CorsProxy {
  /** `http://127.0.0.1:PORT/<name>` for each upstream name. */
  urls: Record<string, string>;
  close(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers': 'authorization, content-type, accept',
};

/** Forwards `/<name>/rest/of/path` to `upstreams[name]` + `/rest/of/path`, adding CORS headers. */
export async function startCorsProxy(upstreams: Record<string, string>): Promise<CorsProxy> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      return void res.end();
    }
    const [, name = '', ...rest] = (req.url ?? '/').split('/');
    const upstream = upstreams[name];
    if (upstream === undefined) {
      res.writeHead(404, CORS);
      return void res.end();
    }
    const target = new URL(`/${rest.join('/')}`, upstream);
    const forward = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...CORS });
      answer.pipe(res);
    });
    // An upstream that resets the connection resets the page's connection too.
    forward.on('error', () => res.destroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const urls = Object.fromEntries(
    Object.keys(upstreams).map((name) => [name, `http://127.0.0.1:${port}/${name}`]),
  );
  return {
    urls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
