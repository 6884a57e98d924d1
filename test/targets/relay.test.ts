// The relay's contract (CONTRACT.md 2.2) at every reference level: it relays an encrypted business
// message, answers an ic-exchange itself, refuses exactly what lies past its cap, reports a card
// server it cannot reach, and stops on SIGTERM.
import http from 'node:http';
import t, { type Test } from 'tap';
import { decrypt, encrypt } from '../../targets/reference/lib/cipher.ts';
import { behaviour, LEVELS, type Level } from '../../targets/reference/lib/levels.ts';
import { gate, keepAliveAgent, logLines, RELAY_PORT, requestJson, startRelay, stubCardServer, until } from '../helpers/target-tests.ts';

const EXTRA = 3;

interface Reply {
  status: number;
  body: Record<string, unknown>;
  connection: string | undefined;
}

/** Sends an envelope to the relay; the `connection` header shows whether the relay closed it. */
async function post(agent: http.Agent, host: string, body: unknown): Promise<Reply> {
  const answer = await requestJson({ host, port: RELAY_PORT }, 'POST', '/message', body, agent);
  return { status: answer.status, body: answer.body, connection: answer.headers.connection };
}

/** A card server that records what reaches it; after `hold()` its answers wait for `release()`. */
async function holdingCardServer(t: Test) {
  let held = { wait: Promise.resolve(), open: () => {} };
  const stub = await stubCardServer(t, async (body) => {
    await held.wait;
    return { status: 200, body: { result: { cards: [{ cardId: 'C1', op: body.op }] } } };
  });
  return {
    ...stub,
    hold() {
      held = gate();
    },
    release: () => held.open(),
  };
}

async function contract(t: Test, level: Level) {
  const stub = await holdingCardServer(t);
  // A 10 s timer at scale 60: the held answers below must not run out.
  const relay = await startRelay(t, level, stub.address, { RELAY_TIMEOUT_MS: '600000' });
  const agent = keepAliveAgent(t);
  const host = relay.endpoint(RELAY_PORT).host;
  let next = 0;
  const envelope = (kind: 'business' | 'control', op: string, payload: unknown) => ({
    requestId: `${level}-${next++}`,
    municipality: 'm1',
    kind,
    op,
    payload: encrypt(payload),
  });

  const business = envelope('business', 'search', { residentCode: 'R1' });
  const answer = await post(agent, host, business);
  t.equal(answer.status, 200, 'business message relayed');
  t.same(decrypt(answer.body.result as string), { cards: [{ cardId: 'C1', op: 'search' }] }, 'result encrypted the same way');
  t.same(stub.received, [{ requestId: business.requestId, municipality: 'm1', op: 'search', payload: { residentCode: 'R1' } }], 'the card server got it in clear, requestId kept');

  const exchange = await post(agent, host, envelope('control', 'ic-exchange', { cardId: 'C1', exchange: 7 }));
  t.equal(exchange.status, 200, 'ic-exchange answered');
  t.same(decrypt(exchange.body.result as string), { exchange: 7 });
  t.equal(stub.received.length, 1, 'by the relay itself');

  const malformed = await post(agent, host, { ...envelope('business', 'search', {}), requestId: undefined });
  t.same([malformed.status, malformed.body], [400, { error: 'bad-request', missing: 'requestId' }], 'a malformed envelope: 400');

  const cap = behaviour(level).relayMaxConnections;
  stub.hold();
  const held = Array.from({ length: cap }, () => post(new http.Agent(), host, envelope('business', 'search', { residentCode: 'R2' })));
  await until(`${cap} messages at the card server`, () => stub.received.length === 1 + cap);
  const extra = await Promise.all(Array.from({ length: EXTRA }, () => post(new http.Agent(), host, envelope('business', 'search', { residentCode: 'R3' }))));
  t.same(
    extra.map(({ status, body, connection }) => ({ status, body, connection })),
    Array(EXTRA).fill({ status: 503, body: { error: 'overflow' }, connection: 'close' }),
    `past the cap of ${cap}: overflow, connection closed`,
  );
  stub.release();
  const within = await Promise.all(held);
  t.same(within.map((reply) => reply.status), Array(cap).fill(200), `all ${cap} within the cap answered`);

  await stub.close();
  const unreachable = await post(agent, host, envelope('business', 'search', { residentCode: 'R4' }));
  t.equal(unreachable.status, 502);
  t.equal(unreachable.body.error, 'upstream');
  t.type(unreachable.body.code, 'string', `with the error code (${String(unreachable.body.code)})`);

  const lines = logLines(await relay.logs());
  const messages = lines.filter((line) => line.event === 'message');
  t.equal(messages.length, 2 + cap + EXTRA + 1, 'one business line per relayed or refused message');
  t.ok(messages.every((line) => line.stream === 'business' && typeof line.requestId === 'string' && typeof line.outcome === 'string'));
  t.same(messages.filter((line) => line.outcome === 'overflow').length, EXTRA);
  const correlated = lines.filter((line) => 'correlationId' in line).length;
  if (level === 'fixed') t.equal(correlated, messages.length, 'fixed: every message line carries its correlationId');
  else t.equal(correlated, 0, 'before fixed: no correlationId (F14)');

  await relay.stop();
  t.match(await relay.status(), { state: 'exited', exitCode: 0 }, 'SIGTERM stops it gracefully');
}

for (const level of LEVELS) await t.test(level, (t) => contract(t, level));
