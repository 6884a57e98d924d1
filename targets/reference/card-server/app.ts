import type http from 'node:http';
import type { Env } from '../lib/env.ts';
import { closeServer, jsonServer, type JsonRequest, type JsonResponse } from '../lib/http.ts';
import type { Log } from '../lib/log.ts';
import { MessageService } from './messages.ts';
import { CardOps } from './ops.ts';
import { Slots } from './slots.ts';
import { CardStore } from './store.ts';
import { threadNames } from './thread-names.ts';

export const DEFAULT_DATA_DIR = '/tmp/card-server';

export interface CardServer {
  server: http.Server;
  messages: MessageService;
  /** Ends the service times in flight, closes every connection and the database. */
  close(): Promise<void>;
}

const NOT_FOUND: JsonResponse = { status: 404, body: { error: 'not-found' } };

/** The card management server (CONTRACT.md 2.3), not yet listening. */
export function createCardServer(options: { env: Env; log: Log; dataDir: string; now?: () => number }): CardServer {
  const { env, log } = options;
  const store = new CardStore(options.dataDir);
  const ops = new CardOps(store, { idempotentRegistration: env.behaviour.idempotentRegistration, uniqueIdentityCodes: env.behaviour.uniqueIdentityCodes });
  const messages = new MessageService(
    {
      slots: new Slots(env.number('CARD_SERVER_MAX_CONNECTIONS', 200)),
      names: threadNames(env.behaviour.shortThreadNames, env.scaledMs('THREAD_IDLE_MS', 60_000)),
      ops,
      log,
    },
    {
      serviceMs: env.scaledMs('CARD_SERVER_SERVICE_MS', 3300),
      revocationYields: env.behaviour.revocationYieldsToCardWork,
      bufferBytes: env.number('MESSAGE_BUFFER_BYTES', 4 * 2 ** 20),
      logWriteMsPerKiB: env.scaledMs('LOG_WRITE_MS_PER_KIB', 400),
      ...(options.now && { now: options.now }),
    },
  );

  const route = (request: JsonRequest): Promise<JsonResponse> | JsonResponse => {
    if (request.method === 'POST' && request.path === '/message') return messages.handle(request.body);
    if (request.method !== 'GET') return NOT_FOUND;
    if (request.path === '/health') return { status: 200, body: { status: 'ok', active: messages.active } };
    if (request.path === '/notices') {
      return { status: 200, body: { notices: store.notices(request.query.get('municipality') ?? undefined) } };
    }
    if (request.path === '/persons') {
      const residentCode = request.query.get('residentCode');
      if (!residentCode) return { status: 400, body: { error: 'bad-request', missing: 'residentCode' } };
      return { status: 200, body: { persons: store.personsUnder(residentCode) } };
    }
    const batch = /^\/batches\/([^/]+)$/.exec(request.path);
    if (batch) {
      const batchId = decodeURIComponent(batch[1] ?? '');
      return { status: 200, body: { batchId, records: store.batchRecordCount(batchId) } };
    }
    const card = /^\/cards\/([^/]+)$/.exec(request.path);
    if (card) {
      const record = store.card(decodeURIComponent(card[1] ?? ''));
      return record ? { status: 200, body: record } : NOT_FOUND;
    }
    return NOT_FOUND;
  };

  const server = jsonServer(route);
  return {
    server,
    messages,
    close: () => {
      messages.stop();
      return closeServer(server, () => store.close());
    },
  };
}
