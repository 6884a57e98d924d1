import http from 'node:http';
import type { Behaviour } from '../lib/levels.ts';
import { translateAnswer } from '../lib/dialect.ts';
import { jsonServer, postJson } from '../lib/http.ts';
import type { Log } from '../lib/log.ts';
import { BatchJobs } from './batch.ts';
import { CardServers, healthProbe } from './card-servers.ts';
import type { Scheduler } from './clock.ts';
import type { RelayConfig } from './config.ts';
import { controlHandler } from './control.ts';
import { Cores } from './cores.ts';
import { Hsm } from './hsm.ts';
import { messageHandler } from './messages.ts';
import { Monitor } from './monitor.ts';
import { WorkAreas } from './work-area.ts';
import { WorkerPool } from './workers.ts';

export interface Relay {
  server: http.Server;
  /** Starts the relay's own schedules: the hardware monitor, the card servers' probes. */
  start(): void;
  close(): void;
}

/** Wires the relay's parts; `abort` is what an invalid free ends in (process.abort in the relay). */
export function createRelay(config: RelayConfig, behaviour: Behaviour, log: Log, scheduler: Scheduler, abort: () => void): Relay {
  const areas = new WorkAreas((worker, by) => {
    log.line('error', 'free-unallocated', { worker, notificationFor: by, message: 'end handler freed a work area that was never allocated' });
    abort();
  });
  const pool = new WorkerPool({
    slots: config.maxConnections,
    timeoutMs: config.timeoutMs,
    deliveryMs: config.timeoutDeliveryMs,
    checkedEndHandler: behaviour.timerRaceCorrected,
    scheduler,
    areas,
    onStaleDiscarded: (worker, messageId) =>
      log.line('error', 'stale-timeout-discarded', { worker, notificationFor: messageId }, messageId),
  });
  const cores = new Cores({
    cores: config.cpuCores,
    coreMs: config.hsmCoreMs,
    pollMs: config.monitorPollMs,
    physicalMode: behaviour.hsmPhysicalMode,
    scheduler,
  });
  const hsm = new Hsm({
    boards: config.hsmBoards,
    opMs: config.hsmOpMs,
    watchdogMs: config.hsmWatchdogMs,
    watchdog: behaviour.hsmInterruptReported,
    cores,
    scheduler,
    onInterrupted: (board) => log.line('error', 'hsm-interrupted', { board, message: 'HSM processing interrupted' }),
  });
  const monitor = new Monitor({
    intervalMs: config.monitorIntervalMs,
    scheduleRuns: behaviour.monitorScheduleRuns,
    cores,
    scheduler,
    onPoll: (source, polled) => log.line('control', 'monitor-poll', { source, cores: polled }),
  });

  const agent = new http.Agent({ keepAlive: true });
  const cardServers = new CardServers({
    addresses: config.cardServers,
    failover: behaviour.cardServerFailover,
    probe: healthProbe,
    intervalMs: config.cardServerProbeMs,
    timeoutMs: config.cardServerProbeTimeoutMs,
    scheduler,
    onChange: (address, up) => log.line(up ? 'control' : 'error', up ? 'card-server-up' : 'card-server-down', { cardServer: address }),
  });
  // Only a backstop for sockets: the relay's own timer answers the message long before.
  const upstreamMs = config.timeoutMs + Math.max(1000, config.timeoutMs);
  const batches = new BatchJobs({
    send: (message) => cardServers.send((address) => postJson(agent, address, '/message', message, config.timeoutMs)),
    honestStatus: behaviour.honestBatchStatus,
    onEnded: (status, failure) =>
      status.status === 'failed'
        ? log.line('error', 'batch-end', { ...status, failedAt: failure })
        : log.line('control', 'batch-end', { ...status }),
  });
  const onMessage = messageHandler({
    pool,
    hsm,
    forward: (body) => cardServers.send((address) => postJson(agent, address, '/message', body, upstreamMs)),
    log,
  });
  const onControl = controlHandler({ pool, hsm, monitor, batches, log });

  const server = jsonServer((request) => {
    if (request.method === 'POST' && request.path === '/message') return onMessage(request);
    // For a distributor's health checks (CONTRACT.md 2.2): answered outside the worker pool, so a
    // check never counts against the connection cap nor meets its overflow.
    if (request.method === 'GET' && request.path === '/health') return { status: 200, body: { status: 'ok', active: pool.active } };
    if (request.method === 'POST' && request.path.startsWith('/control/')) return onControl(request);
    return { status: 404, body: { error: 'not-found' } };
    // The CS of the same build reads the overflow answer: it stays in the contract's words.
  }, (reply) => translateAnswer(reply, ['overflow']));
  return {
    server,
    start() {
      monitor.start();
      cardServers.start();
    },
    close() {
      monitor.stop();
      cardServers.stop();
      agent.destroy();
      server.closeAllConnections();
      server.close();
    },
  };
}
