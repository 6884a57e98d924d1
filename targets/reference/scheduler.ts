// The job scheduler (CONTRACT.md 2.5), port 8600.
import { Env } from './lib/env.ts';
import { serveUntilStopped } from './lib/http.ts';
import { Log } from './lib/log.ts';
import { createScheduler } from './scheduler/app.ts';

const PORT = 8600;

const env = new Env();
const log = new Log('scheduler', env.behaviour.correlatedLogs);
const scheduler = createScheduler({ env, log, dataDir: env.string('SCHEDULER_DIR', '/tmp/scheduler'), ca: env.string('CA'), cardServer: env.string('CARD_SERVER') });

serveUntilStopped(scheduler.server, PORT, env.bindHost, log, () => scheduler.close());
