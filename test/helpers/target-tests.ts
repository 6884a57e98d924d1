/**
 * Plumbing the reference-target tests share (test/targets: cs, cs-mechanisms, relay,
 * relay-mechanisms, card-server): starting a reference program as a child process, stub upstreams
 * on a free loopback port, and reading back what a target answered or logged. Only set-up and
 * reading live here; every check, and every margin a check relies on, stays in its test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import { newRunId } from '../../harness/runtime/create.ts';
import { ProcessRuntime } from '../../harness/runtime/process.ts';
import type { Component, Endpoint } from '../../harness/runtime/types.ts';
import { decrypt, encrypt } from '../../targets/reference/lib/cipher.ts';
import type { Level } from '../../targets/reference/lib/levels.ts';

// ---------------------------------------------------------------------------------------------
// Starting the reference programs.

/** Where cs.ts, relay.ts and card-server.ts live: the tests run them from the source, as `node <script>`. */
export const REFERENCE_APP_DIR = path.resolve(import.meta.dirname, '../../targets/reference');

/** The ports targets/CONTRACT.md gives each program; a test reaches a target only through them. */
export const CS_PORT = 8100;
export const RELAY_PORT = 8300;
export const CARD_SERVER_PORT = 8400;

/**
 * A process runtime whose logs (and whatever else a test puts there) live in a fresh scratch
 * directory removed at teardown, so that test runs leave nothing behind in the temp dir. The
 * runtime is disposed first: its processes must be gone before their files are.
 */
export function scratchRuntime(t: Test, prefix: string): { runtime: ProcessRuntime; scratch: string } {
  const runId = newRunId();
  const scratch = mkdtempSync(path.join(os.tmpdir(), `ijiwaru-${prefix}-${runId}-`));
  const runtime = new ProcessRuntime({ runId, logDir: path.join(scratch, 'logs') });
  t.teardown(async () => {
    await runtime.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });
  return { runtime, scratch };
}

/**
 * Starts one reference program and waits until it logs its ready event, which every reference
 * program does once it listens; earlier, a test's first request could meet a closed port.
 */
export function startReference(
  runtime: ProcessRuntime,
  spec: { name: string; script: string; port: number; env: Record<string, string> },
): Promise<Component> {
  return runtime.start({
    name: spec.name,
    program: { executable: 'node', args: [spec.script], appDir: REFERENCE_APP_DIR },
    ports: [spec.port],
    env: spec.env,
    ready: { kind: 'log', pattern: /"event":"ready"/ },
  });
}

/** What a CS launcher starts: one CS at `level`, talking to the centre at `distributor`. */
export type StartCs = (t: Test, level: Level, distributor: string, env?: Record<string, string>) => Promise<Component>;

/**
 * A CS launcher for one test file. Its CSes share one runtime, torn down with the file's root test
 * `root`; each gets a name of its own in it (the runtime gives every name its own address, so all
 * can listen on 8100) and an IC directory of its own from the test that starts it, so no CS
 * sees another's chips. `defaults` are the file's env (its time scale, its municipality).
 */
export function csLauncher(root: Test, prefix: string, defaults: Record<string, string>): StartCs {
  const { runtime } = scratchRuntime(root, prefix);
  let started = 0;
  return (t, level, distributor, env = {}) =>
    startReference(runtime, {
      name: `cs-${level}-${++started}`,
      script: 'cs.ts',
      port: CS_PORT,
      env: { REFERENCE_LEVEL: level, DISTRIBUTOR: distributor, IC_DIR: t.testdir(), ...defaults, ...env },
    });
}

/**
 * A relay in front of `cardServer`, in a runtime of its own that goes with the test: a relay the
 * test crashed, stopped or left busy is gone before the next test starts. TIME_SCALE 60 unless
 * `env` says otherwise.
 */
export async function startRelay(t: Test, level: Level, cardServer: string, env: Record<string, string> = {}): Promise<Component> {
  const { runtime } = scratchRuntime(t, 'relay');
  return startReference(runtime, {
    name: 'relay',
    script: 'relay.ts',
    port: RELAY_PORT,
    env: { REFERENCE_LEVEL: level, TIME_SCALE: '60', CARD_SERVER: cardServer, ...env },
  });
}

// ---------------------------------------------------------------------------------------------
// Talking to a target and reading what it logged.

/** What the CS answered a terminal. */
export interface CsReply {
  status: number;
  body: Record<string, unknown>;
}

/** Calls a CS as a terminal does, JSON in and out; fetch will do, as no test looks at the terminal's connections. */
export function csClient(cs: Component) {
  const { host, port } = cs.endpoint(CS_PORT);
  return async (method: string, target: string, body?: unknown): Promise<CsReply> => {
    const response = await fetch(`http://${host}:${port}${target}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

/** What an HTTP request to a target got back, headers included. */
export interface JsonAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * One JSON request over node:http rather than fetch: the overflow answer's `connection: close`
 * header is part of the contract, and the caller chooses the connection (`agent`; `false` for
 * one of its own), which fetch hides. An empty body reads as `{}`.
 */
export function requestJson(
  endpoint: Endpoint,
  method: string,
  urlPath: string,
  body?: unknown,
  agent: http.Agent | false = false,
): Promise<JsonAnswer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
  return new Promise((resolve, reject) => {
    const request = http.request({ host: endpoint.host, port: endpoint.port, path: urlPath, method, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    request.on('error', reject);
    request.end(payload);
  });
}

/** A keep-alive agent destroyed at teardown, so the sockets it pools cannot keep the test file running. */
export function keepAliveAgent(t: Test): http.Agent {
  const agent = new http.Agent({ keepAlive: true });
  t.teardown(() => agent.destroy());
  return agent;
}

/** A target's log as objects, one per JSON line; anything else (a blank line, a Node warning) is skipped. */
export function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Waits for something a test cannot await directly (messages reaching a stub, a count a target
 * reports), looking every `everyMs`. Past `limitMs` it throws, naming what never happened, so a
 * stuck test fails with a reason rather than at tap's timeout.
 */
export async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  { limitMs = 20_000, everyMs = 10 }: { limitMs?: number; everyMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

// ---------------------------------------------------------------------------------------------
// Stub upstreams: the centre behind a CS, the card server behind a relay.

/** A door a stub waits behind until the test opens it: how a test holds answers at the upstream. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** An answer a stub gives; `close` drops the connection after it, as the contract's overflow answer does. */
export interface StubReply {
  status: number;
  body: unknown;
  close?: boolean;
}

/** A stub listening on loopback, at the `host:port` a target takes in its env. */
export interface StubServer {
  address: string;
  server: http.Server;
  /** Stops it at once, kept-alive connections too; teardown does the same. */
  close(): Promise<void>;
}

/** Serves `handle` on a free loopback port (listenOnLoopback), each request's JSON body read whole first. */
async function serveJson(
  t: Test,
  handle: (body: unknown, request: http.IncomingMessage, response: http.ServerResponse) => void | Promise<void>,
): Promise<StubServer> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => void handle(JSON.parse(Buffer.concat(chunks).toString('utf8')), request, response));
  });
  return { ...(await listenOnLoopback(t, server)), server };
}

/**
 * Listens on a free loopback port; at teardown (or `close`) drops every connection before
 * closing: a target keeps its connections alive, and close() alone would wait on them.
 */
export async function listenOnLoopback(t: Test, server: http.Server): Promise<{ address: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  t.teardown(close);
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, close };
}

/** Sends a stub's answer unless the client has gone meanwhile (a test that held the answer and moved on). */
function replyJson(response: http.ServerResponse, reply: StubReply): void {
  if (response.destroyed) return;
  response.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.close && { connection: 'close' }) });
  response.end(JSON.stringify(reply.body));
}

/** A message as the stub centre got it from a CS, its payload decrypted. */
export interface CentreMessage {
  requestId: string;
  municipality: string;
  kind: string;
  op: string;
  /** The payload as it travelled. */
  sealed: string;
  payload: Record<string, unknown>;
}

/** The centre's normal answer: `result` encrypted, as a relay in front of a card server returns it. */
export function sealedResult(result: unknown): StubReply {
  return { status: 200, body: { result: encrypt(result) } };
}

/**
 * The centre as a CS sees it through the distributor: it decrypts each envelope, keeps it in
 * `seen` (in arrival order, before answering, so a test sees messages it is holding) and sends
 * what `answer` decides.
 */
export async function decryptingCentre(
  t: Test,
  answer: (message: CentreMessage) => StubReply | Promise<StubReply>,
): Promise<StubServer & { seen: CentreMessage[] }> {
  const seen: CentreMessage[] = [];
  const stub = await serveJson(t, async (body, _request, response) => {
    const envelope = body as Omit<CentreMessage, 'payload' | 'sealed'> & { payload: string };
    const message: CentreMessage = { ...envelope, sealed: envelope.payload, payload: decrypt(envelope.payload) as Record<string, unknown> };
    seen.push(message);
    replyJson(response, await answer(message));
  });
  return { ...stub, seen };
}

/** A stub card server's answer, or 'destroy' to drop the connection without one (a card server that died). */
export type CardServerAnswer = StubReply | 'destroy';

/**
 * A card server whose every answer the test decides. It keeps each message as it arrived, in
 * clear, so a test can check what the relay passed on.
 */
export async function stubCardServer(
  t: Test,
  answer: (body: Record<string, unknown>) => Promise<CardServerAnswer> | CardServerAnswer,
): Promise<StubServer & { received: Array<Record<string, unknown>> }> {
  const received: Array<Record<string, unknown>> = [];
  const stub = await serveJson(t, async (body, request, response) => {
    received.push(body as Record<string, unknown>);
    const reply = await answer(body as Record<string, unknown>);
    if (reply === 'destroy') return void request.socket.destroy();
    replyJson(response, reply);
  });
  return { ...stub, received };
}
