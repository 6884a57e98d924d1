// The reference's public-key side (CONTRACT.md 2.5) as child processes: the authority's reception
// server answers each way a job can end and keeps its records across a kill; the scheduler reads
// a partly done job as all done before 2016-09 and as it is from then, and marks what it holds
// revoked on the card server. The card server's hold of a revocation job is in card-server.test.ts.
import path from 'node:path';
import t, { type Test } from 'tap';
import type { Component } from '../../harness/runtime/types.ts';
import type { Level } from '../../targets/reference/lib/levels.ts';
import { requestJson, scratchRuntime, startReference, stubCardServer, until } from '../helpers/target-tests.ts';

const CA_PORT = 8500;
const SCHEDULER_PORT = 8600;
const address = (component: Component, port: number) => `${component.endpoint(port).host}:${component.endpoint(port).port}`;

async function startPki(t: Test, level: Level): Promise<{ ca: Component; scheduler: Component; marks: Array<Record<string, unknown>> }> {
  const { runtime, scratch } = scratchRuntime(t, 'pki');
  // At time scale 10 a certificate takes 50 ms, and the scheduler waits 3 s for an answer.
  const common = { REFERENCE_LEVEL: level, TIME_SCALE: '10' };
  const ca = await startReference(runtime, { name: 'ca', script: 'ca.ts', port: CA_PORT, env: { ...common, CA_DIR: path.join(scratch, 'ca') } });
  const cardServer = await stubCardServer(t, () => ({ status: 200, body: { result: { marked: 0 } } }));
  const scheduler = await startReference(runtime, {
    name: 'scheduler',
    script: 'scheduler.ts',
    port: SCHEDULER_PORT,
    env: { ...common, SCHEDULER_DIR: path.join(scratch, 'scheduler'), CA: address(ca, CA_PORT), CARD_SERVER: cardServer.address },
  });
  return { ca, scheduler, marks: cardServer.received };
}

const revoke = (ca: Component, jobId: string, serials: string[]) => requestJson(ca.endpoint(CA_PORT), 'POST', '/revocations', { jobId, serials });

t.test('the authority: done, partial, fatal, retry when busy; its records answer what it did, also after a kill', async (t) => {
  const { ca } = await startPki(t, 'fixed');
  t.match((await revoke(ca, 'j-done', ['S0000000001', 'S0000000002'])).body, { result: 'done', revoked: ['S0000000001', 'S0000000002'] });
  t.match((await revoke(ca, 'j-partial', ['S0000000003', 'not-a-serial'])).body, { result: 'partial', revoked: ['S0000000003'], refused: [{ serial: 'not-a-serial' }] });
  t.match((await revoke(ca, 'j-fatal', ['x'])).body, { result: 'fatal', revoked: [] });
  const [long, busy] = await Promise.all([revoke(ca, 'j-long', Array.from({ length: 10 }, (_, i) => `S10000000${String(i).padStart(2, '0')}`)), revoke(ca, 'j-busy', ['S0000000004'])]);
  t.same([long.body.result, busy.body.result].sort(), ['done', 'retry'], 'one job at a time: the other is told to retry');
  t.match((await requestJson(ca.endpoint(CA_PORT), 'GET', '/certificates/S0000000003')).body, { serial: 'S0000000003', revoked: true });
  t.match((await requestJson(ca.endpoint(CA_PORT), 'GET', '/certificates/S0000000009')).body, { revoked: false });
  t.equal((await requestJson(ca.endpoint(CA_PORT), 'GET', '/revocations/never')).status, 404);

  const killed = revoke(ca, 'j-killed', Array.from({ length: 20 }, (_, i) => `S20000000${String(i).padStart(2, '0')}`)).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await ca.kill();
  await killed;
  await ca.restart();
  const record = (await requestJson(ca.endpoint(CA_PORT), 'GET', '/revocations/j-killed')).body as { state: string; revoked: string[] };
  t.equal(record.state, 'interrupted', 'a job the server died in is recorded as interrupted');
  t.ok(record.revoked.length > 0 && record.revoked.length < 20, `what it had revoked stays revoked (${record.revoked.length} of 20)`);
  t.match((await requestJson(ca.endpoint(CA_PORT), 'GET', `/certificates/${record.revoked[0]}`)).body, { revoked: true });
});

for (const [level, held] of [['2016-07', 3], ['2016-09', 2]] as const) {
  t.test(`the scheduler on ${level}: a partly done job held as ${held} of 3 revoked, and marked on the card server`, async (t) => {
    const { scheduler, marks } = await startPki(t, level);
    const endpoint = scheduler.endpoint(SCHEDULER_PORT);
    const submitted = await requestJson(endpoint, 'POST', '/jobs', { jobId: 'j-1', kind: 'revocation', serials: ['S0000000001', 'S0000000002', 'bad'] });
    t.same([submitted.status, submitted.body], [202, { jobId: 'j-1', state: 'running' }]);
    t.equal((await requestJson(endpoint, 'POST', '/jobs', { jobId: 'j-1', kind: 'revocation', serials: [] })).status, 409, 'a job ID it has');
    await until('the job ended', async () => (await requestJson(endpoint, 'GET', '/jobs/j-1')).body.state !== 'running');
    const record = (await requestJson(endpoint, 'GET', '/jobs/j-1')).body as { revoked: string[] };
    t.equal(record.revoked.length, held, JSON.stringify(record));
    await until('the marks reached the card server', () => marks.length > 0);
    t.match(marks[0], { op: 'revoke-certificates', payload: { serials: record.revoked } });
  });
}
