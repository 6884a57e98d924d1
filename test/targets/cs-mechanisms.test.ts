/**
 * The CS's defect mechanisms (F3, F4, F7, F8, F10): each triggers at a defective level under its
 * real condition and not at the level that fixed it. The centre is a stub that decrypts each
 * envelope and answers, holds, fails or overflows as a test tells it.
 */
import t, { type Test } from 'tap';
import type { Component } from '../../harness/runtime/types.ts';
import { ADDRESS_EXAMPLES, legacyConvert, unicodeConvert } from '../../targets/reference/cs/address.ts';
import { BlockRule, type Admission } from '../../targets/reference/cs/block-rule.ts';
import type { Level } from '../../targets/reference/lib/levels.ts';
import { Log } from '../../targets/reference/lib/log.ts';
import {
  csClient,
  csLauncher,
  decryptingCentre,
  gate,
  logLines,
  sealedResult,
  until,
  type CentreMessage,
  type StubReply,
} from '../helpers/target-tests.ts';

/** Returns a reply of its own, or undefined for the normal answer; may wait first. */
type Hook = (message: CentreMessage) => StubReply | undefined | Promise<StubReply | undefined>;

interface Centre {
  address: string;
  seen: CentreMessage[];
  hook: Hook;
}

const OVERFLOW: StubReply = { status: 503, body: { error: 'overflow' }, close: true };
const RESET: StubReply = { status: 502, body: { error: 'upstream', code: 'ECONNRESET' } };

function normalResult(message: CentreMessage): unknown {
  const { payload } = message;
  switch (message.op) {
    case 'ic-exchange':
      return { exchange: payload.exchange };
    case 'register-card':
      return { cardId: payload.cardId, status: 'pre-issued' };
    case 'register-update':
      return { cardId: payload.cardId, status: payload.status };
    case 'search':
      return { cards: [] };
    case 'move':
      return { updated: 1 };
    case 'certificate-change':
      return { serial: 'serial-1' };
  }
  return undefined;
}

/** The centre, answering normally unless the test's `hook` (set at any time) answers first. */
async function stubCentre(t: Test): Promise<Centre> {
  const centre: Centre = { address: '', seen: [], hook: () => undefined };
  const stub = await decryptingCentre(t, async (message) => (await centre.hook(message)) ?? sealedResult(normalResult(message)));
  return Object.assign(centre, { address: stub.address, seen: stub.seen });
}

/** The promise's value, or 'pending' if it has not settled within limitMs. */
function within<T>(promise: Promise<T>, limitMs: number): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), limitMs))]);
}

/** How long this file waits for a stub to see what it expects. */
const WAIT = { limitMs: 30_000 };

const startCs = csLauncher(t, 'cs-mech', { TIME_SCALE: '20', MUNICIPALITY: 'm1' });

const move = (requestId: string, residentCode: string) => ({ requestId, residentCode, newAddress: '東京都港区1-1' });

/**
 * At TIME_SCALE 20: a 5 s block (room for a slow machine between the trouble and the next
 * request), a 0.5 s search deadline, and requests that never time out here.
 */
const BLOCK_ENV = { CS_BLOCK_MS: '100000', CS_SEARCH_TIMEOUT_MS: '10000', CS_REQUEST_TIMEOUT_MS: '6000000' };
const BLOCK_MS = 5000;

/**
 * Five slow moves held at the centre, then one request that meets the trouble. Returns what the
 * six got, each within a generous limit, and opens the centre's door afterwards either way.
 */
async function troubleAmongFive(t: Test, level: Level, trouble: 'overflow' | 'search-timeout') {
  const centre = await stubCentre(t);
  const door = gate();
  t.teardown(door.open);
  centre.hook = async (message) => {
    if (message.op === 'move' && String(message.payload.residentCode).startsWith('slow')) await door.wait;
    if (message.op === 'move' && message.payload.residentCode === 'overflow') return OVERFLOW;
    if (message.op === 'search') await door.wait;
    return undefined;
  };
  const cs = await startCs(t, level, centre.address, BLOCK_ENV);
  const call = csClient(cs);
  const slow = Array.from({ length: 5 }, (_, i) => call('POST', '/move', move(`r-slow-${i}`, `slow-${i}`)));
  await until('five moves held at the centre', () => centre.seen.filter((message) => message.op === 'move').length === 5, WAIT);
  const troubleStarted = performance.now();
  const troubled =
    trouble === 'overflow'
      ? await call('POST', '/move', move('r-overflow', 'overflow'))
      : await call('GET', '/search?residentCode=res-1&requestId=r-search');
  const justAfter = await call('POST', '/move', move('r-after', 'res-after'));
  const justAfterAt = performance.now();
  // Nothing answers the five at the centre while its door is shut, so a short look is enough to
  // see them still waiting in fixed; the defective level gets long enough for any machine.
  const held = await within(Promise.all(slow), level === 'fixed' ? 1000 : 15_000);
  door.open();
  const five = held === 'pending' ? await Promise.all(slow) : held;
  return { cs, call, troubled, justAfter, elapsedToJustAfter: justAfterAt - troubleStarted, five, heldOnceTroubled: held === 'pending' };
}

async function blockEnds(t: Test, cs: Component, call: ReturnType<typeof csClient>, retryAfterMs: number) {
  await new Promise((resolve) => setTimeout(resolve, retryAfterMs + 300));
  t.same(await call('POST', '/move', move('r-later', 'res-later')), { status: 200, body: { updated: 1 } }, 'accepted again once the block ends');
  const control = logLines(await cs.logs()).filter((line) => line.stream === 'control');
  t.match(control.find((line) => line.event === 'block-start'), { requestsCut: 6 }, 'block-start logged, with the six requests it cut');
  t.ok(control.some((line) => line.event === 'block-end'), 'block-end logged');
}

t.test('F3: one overflow answer blocks the whole CS at 2016-01', async (t) => {
  const run = await troubleAmongFive(t, '2016-01', 'overflow');
  t.match(run.troubled, { status: 503, body: { error: 'blocked' } }, 'the overflowing request fails blocked');
  t.notOk(run.heldOnceTroubled, 'the five in flight were answered without waiting for the centre');
  t.same(
    run.five.map((reply) => [reply.status, reply.body.error]),
    Array.from({ length: 5 }, () => [503, 'blocked']),
    'every request in flight fails blocked',
  );
  t.equal(run.justAfter.status, 503, 'a new request just after is refused');
  t.equal(run.justAfter.body.error, 'blocked');
  const retryAfterMs = Number(run.justAfter.body.retryAfterMs);
  t.ok(retryAfterMs <= BLOCK_MS, `retryAfterMs ${retryAfterMs} within the block`);
  t.ok(retryAfterMs >= BLOCK_MS - run.elapsedToJustAfter - 5, `retryAfterMs ${retryAfterMs} counts from the overflow`);
  await blockEnds(t, run.cs, run.call, retryAfterMs);
});

t.test('F3: in fixed only the overflowing request fails', async (t) => {
  const run = await troubleAmongFive(t, 'fixed', 'overflow');
  t.same(run.troubled, { status: 503, body: { error: 'overflow' } }, 'the overflowing request fails overflow, retryable');
  t.same(run.justAfter, { status: 200, body: { updated: 1 } }, 'a new request just after is served');
  t.ok(run.heldOnceTroubled, 'the five in flight were still waiting for the centre');
  t.same(
    run.five.map((reply) => reply.status),
    [200, 200, 200, 200, 200],
    'the five in flight complete',
  );
  t.notOk(logLines(await run.cs.logs()).some((line) => line.event === 'block-start'), 'no block');
});

t.test('F4: a search that times out blocks the whole CS at 2016-01', async (t) => {
  const run = await troubleAmongFive(t, '2016-01', 'search-timeout');
  t.match(run.troubled, { status: 503, body: { error: 'blocked' } }, 'the search fails blocked');
  t.notOk(run.heldOnceTroubled, 'the five in flight were answered without waiting for the centre');
  t.same(
    run.five.map((reply) => [reply.status, reply.body.error]),
    Array.from({ length: 5 }, () => [503, 'blocked']),
    'every request in flight fails blocked',
  );
  t.match(run.justAfter, { status: 503, body: { error: 'blocked' } }, 'a new request just after is refused');
  const retryAfterMs = Number(run.justAfter.body.retryAfterMs);
  t.ok(retryAfterMs > 0 && retryAfterMs <= BLOCK_MS, `retryAfterMs ${retryAfterMs} within the block`);
  await blockEnds(t, run.cs, run.call, retryAfterMs);
});

t.test('F4: in fixed only the search fails, with a search timeout', async (t) => {
  const run = await troubleAmongFive(t, 'fixed', 'search-timeout');
  t.same(run.troubled, { status: 504, body: { error: 'timeout', where: 'search' } }, 'the search times out');
  t.same(run.justAfter, { status: 200, body: { updated: 1 } }, 'a new request just after is served');
  t.ok(run.heldOnceTroubled, 'the five in flight were still waiting for the centre');
  t.same(
    run.five.map((reply) => reply.status),
    [200, 200, 200, 200, 200],
    'the five in flight complete',
  );
});

for (const level of ['2016-03', '2016-04', 'fixed'] as const) {
  t.test(`F7: a lost registration after the IC step, then /issue/complete at ${level}`, async (t) => {
    const centre = await stubCentre(t);
    let updates = 0;
    centre.hook = (message) => (message.op === 'register-update' && ++updates === 1 ? RESET : undefined);
    const cs = await startCs(t, level, centre.address);
    const call = csClient(cs);
    t.equal((await call('POST', '/pre-issue', { requestId: 'r-pre', cardId: 'card-7', residentCode: 'res-7' })).status, 200);
    t.match(await call('POST', '/issue', { requestId: 'r-issue', cardId: 'card-7' }), { status: 502, body: { error: 'upstream' } });
    const ic = await call('GET', '/ic/card-7');
    t.equal(ic.body.state, 'issued', 'the IC is issued although the card server never registered it');
    t.match(await call('POST', '/issue', { requestId: 'r-issue-again', cardId: 'card-7' }), {
      status: 409,
      body: { error: 'reissue-required' },
    });
    const complete = await call('POST', '/issue/complete', { requestId: 'r-complete', cardId: 'card-7' });
    const registrations = centre.seen.filter((message) => message.op === 'register-update');
    if (level === '2016-03') {
      t.same(complete, { status: 409, body: { error: 'not-supported' } }, 'the terminal cannot complete the registration');
      t.equal(registrations.length, 1, 'nothing sent again');
    } else {
      t.same(complete, { status: 200, body: { cardId: 'card-7', status: 'issued' } }, 'the registration is completed');
      t.equal(registrations.length, 2, 'sent again');
      t.match(registrations[1], { requestId: 'r-issue', payload: { cardId: 'card-7', icDigest: ic.body.digest, status: 'issued' } });
    }
  });
}

for (const level of ['2016-01', 'fixed'] as const) {
  t.test(`F8: the CS restarts in the middle of an IC write at ${level}`, async (t) => {
    const centre = await stubCentre(t);
    const door = gate();
    t.teardown(door.open);
    centre.hook = async (message) => {
      if (message.op === 'ic-exchange' && message.payload.exchange === 10) await door.wait;
      return undefined;
    };
    const cs = await startCs(t, level, centre.address, { TIME_SCALE: '100' });
    const call = csClient(cs);
    const interrupted = call('POST', '/pre-issue', { requestId: 'r-pre', cardId: 'card-8', residentCode: 'res-8' }).catch(
      (error: unknown) => error,
    );
    await until('exchange 10 at the centre', () => centre.seen.some((message) => message.payload.exchange === 10), WAIT);
    t.match(await call('GET', '/ic/card-8'), { status: 200, body: { state: 'writing', step: 45 } }, 'the chip is being written');
    await cs.kill();
    t.ok((await interrupted) instanceof Error, 'the terminal lost its request with the CS');
    door.open();
    centre.hook = () => undefined;
    await cs.restart();
    const after = await call('GET', '/ic/card-8');
    const again = await call('POST', '/pre-issue', { requestId: 'r-pre-2', cardId: 'card-8', residentCode: 'res-8' });
    if (level === 'fixed') {
      t.match(after, { status: 200, body: { state: 'blank', step: 0 } }, 'rolled back to blank');
      t.equal(again.status, 200, 'the card can be written again');
      t.equal((await call('GET', '/ic/card-8')).body.state, 'written');
    } else {
      t.match(after, { status: 200, body: { state: 'broken', step: 45 } }, 'the chip is broken');
      t.match(again, { status: 409, body: { error: 'reissue-required', reason: 'ic-broken' } }, 'the card must be reissued');
    }
  });

  t.test(`F8: an ic-exchange fails (the relay restarted) at ${level}`, async (t) => {
    const centre = await stubCentre(t);
    let failed = false;
    centre.hook = (message) => {
      if (message.op !== 'ic-exchange' || message.payload.exchange !== 7 || failed) return undefined;
      failed = true;
      return RESET;
    };
    const cs = await startCs(t, level, centre.address, { TIME_SCALE: '100' });
    const call = csClient(cs);
    const preIssue = await call('POST', '/pre-issue', { requestId: 'r-pre', cardId: 'card-9', residentCode: 'res-9' });
    const ic = await call('GET', '/ic/card-9');
    const exchanges = centre.seen.filter((message) => message.op === 'ic-exchange').length;
    const registered = centre.seen.filter((message) => message.op === 'register-card').length;
    if (level === 'fixed') {
      t.equal(preIssue.status, 200, 'the failed exchange was retried');
      t.equal(exchanges, 30, '29 exchanges and one retry');
      t.equal(registered, 1);
      t.match(ic.body, { state: 'written', step: 146 }, 'the chip is written');
    } else {
      t.same(preIssue, { status: 502, body: { error: 'upstream', code: 'ECONNRESET' } }, 'the pre-issue fails');
      t.equal(exchanges, 7, 'the sequence stopped at the failed exchange');
      t.equal(registered, 0);
      t.match(ic.body, { state: 'broken' }, 'the chip is broken');
    }
  });
}

for (const level of ['2016-04', '2016-07'] as const) {
  t.test(`F10: trouble characters in the old address at ${level}`, async (t) => {
    const centre = await stubCentre(t);
    const cs = await startCs(t, level, centre.address);
    const call = csClient(cs);
    const change = (requestId: string, oldAddress: string) =>
      call('POST', '/certificate-change', { requestId, cardId: 'card-10', oldAddress, newAddress: '東京都港区1-1' });
    t.same(await change('r-plain', '東京都千代田区1-1'), { status: 200, body: { serial: 'serial-1' } }, 'a plain address passes');
    for (const [i, example] of ADDRESS_EXAMPLES.entries()) {
      const oldAddress = `東京都千代田区${example.text}1-1`;
      const answer = await change(`r-${i}`, oldAddress);
      const sent = centre.seen.find((message) => message.requestId === `r-${i}`);
      if (level === '2016-04') {
        t.same(answer, { status: 422, body: { error: 'address-encoding', character: example.character } }, `${example.kind} ${example.character} refused`);
        t.equal(sent, undefined, 'never sent to the centre');
      } else {
        t.same(answer, { status: 200, body: { serial: 'serial-1' } }, `${example.kind} ${example.character} passes`);
        t.equal(sent?.payload.oldAddress, oldAddress, 'sent unchanged');
      }
    }
  });
}

t.test('the legacy address conversion refuses every example; the corrected one none', async (t) => {
  for (const example of ADDRESS_EXAMPLES) {
    t.same(legacyConvert(`a${example.text}b`), { ok: false, character: example.character }, example.character);
    t.same(unicodeConvert(`a${example.text}b`), { ok: true, text: `a${example.text}b` });
  }
  t.same(legacyConvert('\uFE0F'), { ok: false, character: 'U+FE0F' }, 'a standardised variation selector');
  t.same(legacyConvert('\uF8FF'), { ok: false, character: 'U+F8FF' }, 'the last private-use code point');
  t.same(legacyConvert('\uD842'), { ok: false, character: 'U+D842' }, 'half a surrogate pair');
  t.same(legacyConvert('東京都港区芝公園4-2-8'), { ok: true, text: '東京都港区芝公園4-2-8' }, 'JIS X 0208 kanji pass');
});

/** The block rule under a clock the test moves by hand. */
function ruleWithClock(enabled: boolean) {
  let now = 1000;
  const timers: Array<{ at: number; run: () => void }> = [];
  const lines: Record<string, unknown>[] = [];
  let cuts = 0;
  const rule = new BlockRule({
    enabled,
    blockMs: 60_000,
    cutConnections: () => void cuts++,
    log: new Log('cs', false, (line) => void lines.push(JSON.parse(line) as Record<string, unknown>)),
    clock: { now: () => now, after: (ms, run) => void timers.push({ at: now + ms, run }) },
  });
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers.filter((entry) => entry.at <= now)) {
      timers.splice(timers.indexOf(timer), 1);
      timer.run();
    }
  };
  return { rule, advance, lines, cuts: () => cuts };
}

const admittedSignal = (admission: Admission) => (admission.admitted ? admission.signal : undefined);

t.test('the block rule with a controlled clock: inherited (2016) against none (fixed)', async (t) => {
  const inherited = ruleWithClock(true);
  const running = [inherited.rule.admit(), inherited.rule.admit(), inherited.rule.admit()];
  t.equal(inherited.rule.trip('overflow', 'r-1'), true, 'the trouble turns into a block');
  t.same(running.map((admission) => admittedSignal(admission)?.aborted), [true, true, true], 'all in flight are cut');
  t.equal(inherited.cuts(), 1, 'the pool is cut');
  t.same(inherited.rule.admit(), { admitted: false, retryAfterMs: 60_000 });
  inherited.advance(59_999);
  t.same(inherited.rule.admit(), { admitted: false, retryAfterMs: 1 }, 'still blocked 1 ms before the end');
  inherited.advance(1);
  t.equal(inherited.rule.admit().admitted, true, 'admitted at the end');
  t.same(
    inherited.lines.map((line) => line.event),
    ['block-start', 'block-end'],
  );

  const none = ruleWithClock(false);
  const others = [none.rule.admit(), none.rule.admit()];
  t.equal(none.rule.trip('search-timeout', 'r-1'), false, 'no block');
  t.same(others.map((admission) => admittedSignal(admission)?.aborted), [false, false], 'nothing in flight is touched');
  t.equal(none.cuts(), 0, 'the pool is left alone');
  t.equal(none.rule.admit().admitted, true);
  t.same(none.lines, []);
});
