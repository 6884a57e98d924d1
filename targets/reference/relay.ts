// The relay server (CONTRACT.md 2.2): CS envelopes in on 8300, the card server behind it.
import { Env } from './lib/env.ts';
import { Log } from './lib/log.ts';
import { createRelay } from './relay/app.ts';
import { realScheduler } from './relay/clock.ts';
import { RELAY_PORT, relayConfig } from './relay/config.ts';

const env = new Env();
const config = relayConfig(env);
const log = new Log('relay', env.behaviour.correlatedLogs);
// An invalid free ends the relay with the status the C runtime's abort gave the 2016 relay: 134.
// Not process.abort(): as PID 1 of a container the kernel drops the process's own SIGABRT, and
// glibc's abort then falls through to a fault, so the engine saw 139 (SIGSEGV) instead.
const ABORT_STATUS = 134;
const relay = createRelay(config, env.behaviour, log, realScheduler, () => process.exit(ABORT_STATUS));

relay.server.listen(RELAY_PORT, env.bindHost, () => {
  relay.start();
  log.ready(RELAY_PORT);
});

process.once('SIGTERM', () => {
  log.line('control', 'stopping', { signal: 'SIGTERM' });
  relay.close();
  process.exit(0);
});
