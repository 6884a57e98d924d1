// The card management business server (CONTRACT.md 2.3), port 8400.
import { createCardServer, DEFAULT_DATA_DIR } from './card-server/app.ts';
import { syncWriter } from './card-server/sync-writer.ts';
import { Env } from './lib/env.ts';
import { serveUntilStopped } from './lib/http.ts';
import { Log } from './lib/log.ts';

const PORT = 8400;

const env = new Env();
// Every line goes out synchronously on fd 1, as the 2016 server's log writes did (F5).
const log = new Log('card-server', env.behaviour.correlatedLogs, syncWriter(1));
const cardServer = createCardServer({ env, log, dataDir: env.string('DATA_DIR', DEFAULT_DATA_DIR) });

serveUntilStopped(cardServer.server, PORT, env.bindHost, log, () => cardServer.close());
