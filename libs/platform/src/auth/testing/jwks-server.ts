import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';

export interface JwksServer {
  readonly url: string;
  /** What the next requests are answered with: a key set, or an HTTP error status. */
  serve(answer: JSONWebKeySet | number): void;
  readonly requests: () => number;
  close(): Promise<void>;
}

/** An external issuer's JWKS endpoint on the loopback interface, for tests. */
export async function startJwksServer(initial: JSONWebKeySet): Promise<JwksServer> {
  let answer: JSONWebKeySet | number = initial;
  let requests = 0;
  const server: Server = createServer((_request, response) => {
    requests += 1;
    if (typeof answer === 'number') {
      response.writeHead(answer).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    serve: (next) => {
      answer = next;
    },
    requests: () => requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
