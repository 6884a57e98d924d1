// The reference's persons under a resident code (F16) and its batch query: the CS passes who moves
// in on to the centre, the card server records them and, only in `fixed`, refuses a second person.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import type { Endpoint } from '../../harness/runtime/types.ts';
import { createCardServer } from '../../targets/reference/card-server/app.ts';
import { Env } from '../../targets/reference/lib/env.ts';
import { behaviour, LEVELS } from '../../targets/reference/lib/levels.ts';
import { Log } from '../../targets/reference/lib/log.ts';
import { csClient, csLauncher, decryptingCentre, requestJson as call, sealedResult } from '../helpers/target-tests.ts';

const A = { name: 'Sato Ken', birthDate: '1971-03-14' };
const B = { name: 'Ito Yui', birthDate: '1985-11-02' };

/** A card server in this process with no service time, its data in a directory removed at teardown. */
async function cardServerAt(t: Test, level: string): Promise<Endpoint> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-card-server-persons-'));
  const cardServer = createCardServer({ env: new Env({ REFERENCE_LEVEL: level, CARD_SERVER_SERVICE_MS: '0' }), log: new Log('card-server', false, () => undefined), dataDir });
  t.teardown(async () => {
    await cardServer.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  await new Promise<void>((resolve) => cardServer.server.listen(0, '127.0.0.1', resolve));
  return { host: '127.0.0.1', port: (cardServer.server.address() as { port: number }).port };
}

t.test('card server: persons under a code at every level; a second person refused only in fixed', async (t) => {
  for (const level of LEVELS) {
    await t.test(level, async (t) => {
      const at = await cardServerAt(t, level);
      let sequence = 0;
      const move = (municipality: string, payload: Record<string, unknown>) => call(at, 'POST', '/message', { requestId: `rq-${++sequence}`, municipality, op: 'move', payload });
      const persons = async (code: string) => (await call(at, 'GET', `/persons?residentCode=${code}`)).body;

      t.same((await move('m1', { residentCode: 'R1', newAddress: '1-1', person: A })).body, { result: { updated: 0 } }, 'A moves in at m1');
      t.same(await persons('R1'), { persons: [{ ...A, municipality: 'm1', address: '1-1' }] });
      const second = await move('m2', { residentCode: 'R1', newAddress: '2-2', person: B });
      if (behaviour(level).uniqueIdentityCodes) {
        t.equal(second.status, 409, 'B under A\'s code is refused');
        t.match(second.body, { error: 'identity-conflict', reason: /R1.*m1/ }, 'naming the code and where it is held');
        t.same(await persons('R1'), { persons: [{ ...A, municipality: 'm1', address: '1-1' }] }, 'nothing changed');
      } else {
        t.equal(second.status, 200, 'as launched, B under A\'s code is taken silently');
        t.same(await persons('R1'), { persons: [{ ...A, municipality: 'm1', address: '1-1' }, { ...B, municipality: 'm2', address: '2-2' }] }, 'two persons under one code');
      }
      t.equal((await move('m2', { residentCode: 'R1', newAddress: '3-3', person: A })).status, 200, 'A moving again is never refused');
      t.match(await persons('R1'), { persons: [{ ...A, municipality: 'm2', address: '3-3' }] }, 'A\'s own record moved');
      t.same((await move('m1', { residentCode: 'R2', newAddress: '4-4' })).body, { result: { updated: 0 } }, 'a move naming nobody works as before');
      t.same(await persons('R2'), { persons: [] }, 'and records nobody');
      t.match(await move('m1', { residentCode: 'R3', newAddress: '4-4', person: { name: 'Ono Aoi' } }), { status: 400, body: { error: 'bad-request' } }, 'a person without a birth date');
      t.match(await call(at, 'GET', '/persons'), { status: 400, body: { missing: 'residentCode' } });

      for (const seq of [1, 2]) await call(at, 'POST', '/message', { requestId: `rq-b${seq}`, municipality: 'm1', op: 'batch-record', payload: { batchId: 'B-1', seq, record: {} } });
      t.same((await call(at, 'GET', '/batches/B-1')).body, { batchId: 'B-1', records: 2 }, 'a batch\'s records received');
      const unknown = await call(at, 'GET', '/batches/B-none');
      t.same([unknown.status, unknown.body], [200, { batchId: 'B-none', records: 0 }], 'a batch never seen');
    });
  }
});

const startCs = csLauncher(t, 'cs-persons', { TIME_SCALE: '100', MUNICIPALITY: 'm7' });

t.test('CS: a move passes the person who moves in on to the centre, as it is', async (t) => {
  const centre = await decryptingCentre(t, () => sealedResult({ updated: 0 }));
  const cs = await startCs(t, '2016-01', centre.address);
  const send = csClient(cs);
  t.same(await send('POST', '/move', { requestId: 'r-1', residentCode: 'R1', newAddress: '1-1', person: A }), { status: 200, body: { updated: 0 } });
  t.same(await send('POST', '/move', { requestId: 'r-2', residentCode: 'R1', newAddress: '1-1' }), { status: 200, body: { updated: 0 } });
  t.same(
    centre.seen.map((message) => [message.requestId, message.municipality, message.payload]),
    [
      ['r-1', 'm7', { residentCode: 'R1', newAddress: '1-1', person: A }],
      ['r-2', 'm7', { residentCode: 'R1', newAddress: '1-1' }],
    ],
  );
  t.same(await send('POST', '/move', { requestId: 'r-3', residentCode: 'R1', newAddress: '1-1', person: { name: 'Sato Ken' } }), { status: 400, body: { error: 'bad-request', missing: 'person.birthDate' } });
  t.same(await send('POST', '/move', { requestId: 'r-4', residentCode: 'R1', newAddress: '1-1', person: 'Sato Ken' }), { status: 400, body: { error: 'bad-request', missing: 'person.name' } });
  t.equal(centre.seen.length, 2, 'a malformed person never reaches the centre');
});
