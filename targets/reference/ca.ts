// The certificate authority's reception server (CONTRACT.md 2.5), port 8500.
import { createCaServer } from './ca/app.ts';
import { Env } from './lib/env.ts';
import { serveUntilStopped } from './lib/http.ts';
import { Log } from './lib/log.ts';

const PORT = 8500;

const env = new Env();
const log = new Log('ca', env.behaviour.correlatedLogs);
const ca = createCaServer({ env, log, dataDir: env.string('CA_DIR', '/tmp/ca') });

serveUntilStopped(ca.server, PORT, env.bindHost, log, () => ca.close());
