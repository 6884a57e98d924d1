/**
 * The CS's contract (CONTRACT.md 2.1) at every reference level, against a stub centre that
 * decrypts each envelope and answers as a relay in front of a card server would.
 */
import t, { type Test } from 'tap';
import { LEVELS } from '../../targets/reference/lib/levels.ts';
import { csClient, csLauncher, decryptingCentre, gate, logLines, sealedResult, type CentreMessage } from '../helpers/target-tests.ts';

interface Centre {
  address: string;
  seen: CentreMessage[];
  /** TCP connections the CS has opened to it. */
  connections: number;
  /** Messages of these ops wait until `release` is called. */
  hold: Set<string>;
  release: () => void;
}

/** What the centre answers each op with, as the relay and card server behind it would. */
function centreResults(): Record<string, (payload: Record<string, unknown>) => unknown> {
  let serial = 0;
  return {
    'ic-exchange': (payload) => ({ exchange: payload.exchange }),
    'register-card': (payload) => ({ cardId: payload.cardId, status: 'pre-issued' }),
    'register-update': (payload) => ({ cardId: payload.cardId, status: payload.status }),
    search: (payload) => ({ cards: [{ cardId: 'card-1', residentCode: payload.residentCode }] }),
    move: () => ({ updated: 1 }),
    'certificate-change': () => ({ serial: `serial-${++serial}` }),
  };
}

/** The centre as the CS sees it through the distributor; an op it does not know is not found. */
async function stubCentre(t: Test): Promise<Centre> {
  const door = gate();
  const hold = new Set<string>();
  const results = centreResults();
  const stub = await decryptingCentre(t, async (message) => {
    if (hold.has(message.op)) await door.wait;
    const result = results[message.op]?.(message.payload);
    return result === undefined ? { status: 404, body: { error: 'not-found' } } : sealedResult(result);
  });
  const centre: Centre = { address: stub.address, seen: stub.seen, connections: 0, hold, release: door.open };
  stub.server.on('connection', () => centre.connections++);
  // A held message must not wait past its test.
  t.teardown(door.open);
  return centre;
}

const startCs = csLauncher(t, 'cs', { TIME_SCALE: '100', MUNICIPALITY: 'm7' });

for (const level of LEVELS) {
  t.test(`the CS meets its contract at ${level}`, async (t) => {
    const centre = await stubCentre(t);
    const cs = await startCs(t, level, centre.address);
    const call = csClient(cs);
    const ops = (op: string) => centre.seen.filter((message) => message.op === op);

    t.equal((await call('GET', '/health')).status, 200, 'health');
    t.same(await call('GET', '/ic/card-1'), { status: 404, body: { error: 'not-found' } }, 'a card never seen is not found');

    const preIssue = await call('POST', '/pre-issue', { requestId: 'r-pre', cardId: 'card-1', residentCode: 'res-1' });
    t.equal(preIssue.status, 200, 'pre-issue succeeds');
    t.match(preIssue.body, { cardId: 'card-1', status: 'pre-issued', icDigest: /^[0-9a-f]+$/ });
    const exchanges = ops('ic-exchange');
    t.equal(exchanges.length, 29, '29 command/response exchanges with the centre');
    t.same(
      exchanges.map((message) => message.payload.exchange),
      Array.from({ length: 29 }, (_, i) => i + 1),
      'in order',
    );
    t.ok(
      exchanges.every((message) => message.kind === 'control' && message.requestId === 'r-pre' && message.municipality === 'm7'),
      'control messages carrying the terminal requestId and the municipality',
    );
    const registerCard = ops('register-card');
    t.equal(registerCard.length, 1, 'one register-card');
    t.match(registerCard[0], {
      kind: 'business',
      requestId: 'r-pre',
      payload: { cardId: 'card-1', residentCode: 'res-1', icDigest: preIssue.body.icDigest },
    });
    t.not(registerCard[0]?.sealed, JSON.stringify(registerCard[0]?.payload), 'the payload travels encrypted');
    t.ok(centre.connections < 10, `30 messages in a row over ${centre.connections} kept-alive connection(s)`);
    t.same(await call('GET', '/ic/card-1'), { status: 200, body: { state: 'written', digest: preIssue.body.icDigest, step: 146 } });

    const issue = await call('POST', '/issue', { requestId: 'r-issue', cardId: 'card-1' });
    t.same(issue, { status: 200, body: { cardId: 'card-1', status: 'issued' } }, 'issue succeeds');
    const ic = await call('GET', '/ic/card-1');
    t.equal(ic.body.state, 'issued');
    t.not(ic.body.digest, preIssue.body.icDigest, 'setting the PINs changes the IC digest');
    t.match(ops('register-update'), [{ requestId: 'r-issue', payload: { cardId: 'card-1', icDigest: ic.body.digest, status: 'issued' } }]);
    t.match(await call('POST', '/issue', { requestId: 'r-issue-2', cardId: 'card-1' }), { status: 409, body: { error: 'reissue-required' } });

    const search = await call('GET', '/search?residentCode=res-1&requestId=r-search');
    t.same(search, { status: 200, body: { cards: [{ cardId: 'card-1', residentCode: 'res-1' }] } }, 'search');
    t.match(ops('search'), [{ requestId: 'r-search', payload: { residentCode: 'res-1' } }]);

    const move = await call('POST', '/move', { requestId: 'r-move', residentCode: 'res-1', newAddress: '東京都千代田区1-1' });
    t.same(move, { status: 200, body: { updated: 1 } }, 'move');
    t.match(ops('move'), [{ requestId: 'r-move', payload: { residentCode: 'res-1', newAddress: '東京都千代田区1-1' } }]);

    const change = await call('POST', '/certificate-change', {
      requestId: 'r-cert',
      cardId: 'card-1',
      oldAddress: '東京都千代田区1-1',
      newAddress: '大阪府大阪市北区2-2',
    });
    t.same(change, { status: 200, body: { serial: 'serial-1' } }, 'certificate change with a plain address');
    t.match(ops('certificate-change'), [{ payload: { cardId: 'card-1', oldAddress: '東京都千代田区1-1', newAddress: '大阪府大阪市北区2-2' } }]);

    t.match(await call('POST', '/move', { requestId: 'r-bad', residentCode: 'res-1' }), { status: 400, body: { missing: 'newAddress' } });

    const requests = logLines(await cs.logs()).filter((line) => line.event === 'request');
    t.match(requests.find((line) => line.requestId === 'r-pre'), { stream: 'business', op: 'pre-issue', outcome: 'ok' });
    t.equal(
      requests.every((line) => line.correlationId === (level === 'fixed' ? line.requestId : undefined)),
      true,
      level === 'fixed' ? 'every request line carries its correlationId' : 'no correlationId before fixed (F14)',
    );
  });
}

t.test('at most CS_POOL_SIZE connections to the centre', async (t) => {
  const centre = await stubCentre(t);
  centre.hold.add('move');
  const cs = await startCs(t, 'fixed', centre.address, { CS_POOL_SIZE: '2' });
  const call = csClient(cs);
  const moves = Array.from({ length: 5 }, (_, i) =>
    call('POST', '/move', { requestId: `r-${i}`, residentCode: `res-${i}`, newAddress: '東京都港区1-1' }),
  );
  const deadline = Date.now() + 30_000;
  while (centre.seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  // Give any extra connection time to show up; a pool that kept to its size never opens one.
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.equal(centre.seen.length, 2, 'two messages at the centre, three waiting for a connection');
  t.equal(centre.connections, 2, 'two connections');
  centre.release();
  t.same(
    (await Promise.all(moves)).map((reply) => reply.status),
    [200, 200, 200, 200, 200],
    'the waiting three go through once connections are free',
  );
  t.equal(centre.connections, 2, 'over the same two connections');
});
