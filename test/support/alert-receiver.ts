import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback Slack-compatible webhook: keeps the `text` of every message it receives. */
export interface AlertReceiver {
  url: string;
  texts: string[];
  close(): Promise<void>;
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const texts: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      texts.push(String((JSON.parse(body) as { text?: unknown }).text));
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, texts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
