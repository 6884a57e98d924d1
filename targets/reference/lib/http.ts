import http from 'node:http';
import type { Log } from './log.ts';

export interface JsonRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  socket: import('node:net').Socket;
}

export interface JsonResponse {
  status: number;
  body: unknown;
  /** Close the connection after answering (the overflow answer does). */
  close?: boolean;
}

export type Handler = (request: JsonRequest) => Promise<JsonResponse> | JsonResponse;

/** The overflow answer of the contract: 503, `{"error":"overflow"}`, connection closed. */
export const OVERFLOW: JsonResponse = { status: 503, body: { error: 'overflow' }, close: true };

/**
 * A JSON-over-HTTP server; a handler that throws answers 500 with the message. `translate`
 * rewords every answer on its way out (the test dialect, lib/dialect.ts).
 */
export function jsonServer(handler: Handler, translate: (reply: JsonResponse) => JsonResponse = (reply) => reply): http.Server {
  return http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const url = new URL(request.url ?? '/', 'http://target');
      let reply: JsonResponse;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        reply = await handler({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, body, socket: request.socket });
      } catch (error) {
        reply = { status: 500, body: { error: 'internal', message: (error as Error).message } };
      }
      if (response.destroyed) return;
      reply = translate(reply);
      const payload = JSON.stringify(reply.body);
      response.writeHead(reply.status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        ...(reply.close && { connection: 'close' }),
      });
      response.end(payload);
    });
  });
}

export interface PostResult {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs JSON with a deadline; network failures reject with the Node error (code preserved). */
export function postJson(agent: http.Agent, target: string, path: string, body: unknown, timeoutMs: number): Promise<PostResult> {
  return exchangeJson(agent, target, 'POST', path, body, timeoutMs);
}

/** GETs JSON with a deadline, as postJson. */
export function getJson(agent: http.Agent, target: string, path: string, timeoutMs: number): Promise<PostResult> {
  return exchangeJson(agent, target, 'GET', path, undefined, timeoutMs);
}

function exchangeJson(agent: http.Agent, target: string, method: 'GET' | 'POST', path: string, body: unknown, timeoutMs: number): Promise<PostResult> {
  const [host, port] = target.split(':');
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
  return new Promise((resolve, reject) => {
    const request = http.request({ agent, host, port: Number(port), path, method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Record<string, unknown> = {};
        try {
          parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          parsed = { error: 'unparsable', text };
        }
        resolve({ status: response.statusCode ?? 0, body: parsed });
      });
      response.on('error', reject);
    });
    request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
    request.end(payload);
  });
}

/** Stops `server` at once (kept-alive connections too), then lets go of what it served from. */
export function closeServer(server: http.Server, release: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => {
      release();
      resolve();
    });
    server.closeAllConnections();
  });
}

/**
 * A component's life as CONTRACT.md 1 has it: listening on its port, the ready line once it
 * does; SIGTERM (or SIGINT) a graceful stop that exits 0 once `close` is done.
 */
export function serveUntilStopped(server: http.Server, port: number, bindHost: string, log: Pick<Log, 'ready' | 'line'>, close: () => Promise<void>): void {
  server.listen(port, bindHost, () => log.ready(port));
  const stop = () => {
    log.line('control', 'stopping');
    void close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
