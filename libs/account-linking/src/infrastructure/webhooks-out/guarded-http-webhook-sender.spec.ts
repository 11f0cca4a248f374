import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GuardedHttpWebhookSender } from './guarded-http-webhook-sender';

describe('the guarded webhook sender', () => {
  let server: Server;
  let requests = 0;
  let connections = 0;
  let port: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests += 1;
      if (request.url === '/redirect') return response.writeHead(302, { location: '/elsewhere' }).end();
      if (request.url === '/big') return response.writeHead(200).end('x'.repeat(1_000_000));
      return response.writeHead(204).end();
    });
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const request = (url: string) => ({ url, headers: {}, body: '{}', timeoutMs: 2_000 });

  it('does not connect to a name that resolves to loopback, nor to a loopback address, with private networks off', async () => {
    const sender = new GuardedHttpWebhookSender(false);
    const before = connections;
    expect((await sender.send(request(`https://localhost:${port}/x`))).outcome).toBe('address_not_allowed');
    expect((await sender.send(request(`https://127.0.0.1:${port}/x`))).outcome).toBe('address_not_allowed');
    expect((await sender.send(request(`http://example.com:${port}/x`))).outcome).toBe('address_not_allowed');
    expect(connections).toBe(before);
  });

  it('follows no redirect and reads only a bounded part of the answer', async () => {
    const sender = new GuardedHttpWebhookSender(true);
    const before = requests;
    expect(await sender.send(request(`http://localhost:${port}/redirect`))).toMatchObject({
      outcome: 'answered',
      statusCode: 302,
    });
    expect(requests).toBe(before + 1);
    expect(await sender.send(request(`http://127.0.0.1:${port}/big`))).toMatchObject({
      outcome: 'answered',
      statusCode: 200,
    });
  });
});
