/**
 * The municipal communication server (CONTRACT.md 2.1): terminals on 8100, the centre through
 * DISTRIBUTOR, the IC card model on disk under IC_DIR.
 */
import { Env } from './lib/env.ts';
import { translateAnswer } from './lib/dialect.ts';
import { jsonServer } from './lib/http.ts';
import { Log } from './lib/log.ts';
import { legacyConvert, unicodeConvert } from './cs/address.ts';
import { BlockRule } from './cs/block-rule.ts';
import { CentreClient } from './cs/centre-client.ts';
import { DeferredIssues } from './cs/deferred-issues.ts';
import { csConfig } from './cs/config.ts';
import { Gateway } from './cs/gateway.ts';
import { IcStore } from './cs/ic-card.ts';
import { IcWriter } from './cs/ic-writer.ts';
import { Operations } from './cs/operations.ts';
import { terminalHandler } from './cs/routes.ts';

const PORT = 8100;

const env = new Env();
const config = csConfig(env);
const { behaviour } = env;
const log = new Log('cs', behaviour.correlatedLogs);

const centre = new CentreClient(config);
const rule = new BlockRule({ enabled: behaviour.csBlockRule, blockMs: config.blockMs, cutConnections: () => centre.cutAll(), log });
const gateway = new Gateway({
  centre,
  rule,
  log,
  requestTimeoutMs: config.requestTimeoutMs,
  searchTimeoutMs: config.searchTimeoutMs,
});
const store = new IcStore(config.icDir);
const writer = new IcWriter({
  store,
  survivesInterruption: behaviour.icWriteSurvivesRestart,
  cardTimeMs: config.cardTimeMs,
  retryDelayMs: config.exchangeRetryMs,
  attempts: config.exchangeAttempts,
  log,
});
// Before the first terminal can reach a chip that a previous process left half-written.
writer.recover();

const operations = new Operations({
  store,
  writer,
  gateway,
  rule,
  idempotentRegistration: behaviour.idempotentRegistration,
  convertAddress: behaviour.addressCharactersHandled ? unicodeConvert : legacyConvert,
  ...(!behaviour.pinsNeverKept && { deferredIssues: new DeferredIssues(config.icDir, log) }),
});

const server = jsonServer(terminalHandler(operations, rule, log), (reply) => translateAnswer(reply));
server.listen(PORT, env.bindHost, () => log.ready(PORT));

process.once('SIGTERM', () => {
  server.close();
  centre.cutAll();
  process.exit(0);
});
