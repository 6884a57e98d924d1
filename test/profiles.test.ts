import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { deriveProfile, serializeProfile } from '../fixtures/profiles/derive.ts';
import { loadProfile, PROFILE_NAMES, slotTotal, type DayProfile } from '../fixtures/profiles/profile.ts';
import { projectRoot } from '../harness/paths.ts';

// The records' peak windows, written out here rather than imported so the test checks derive.ts.
const PEAK_STARTS = new Set([
  ...['09:30', '09:40', '09:50', '10:00', '10:10', '10:20', '10:30', '10:40', '10:50'],
  ...['11:00', '11:10', '11:20', '11:30', '11:40', '11:50'],
  ...['14:00', '14:10', '14:20', '14:30', '14:40', '14:50'],
]);
const TOTALS: Record<string, number> = { '2016-03-29': 715_000, '2016-04-18': 549_000 };

const dayTotal = (profile: DayProfile) => profile.slots.reduce((sum, slot) => sum + slotTotal(slot), 0);

t.test('both profiles load with 84 ten-minute slots from 07:30 to 21:20', async (t) => {
  t.same(PROFILE_NAMES, ['2016-03-29', '2016-04-18']);
  for (const name of PROFILE_NAMES) {
    const profile = loadProfile(name);
    t.equal(profile.day, name);
    t.equal(profile.slots.length, 84, name);
    t.equal(profile.slots[0]?.start, '07:30');
    t.equal(profile.slots.at(-1)?.start, '21:20');
    t.ok(profile.derivation.length > 0, `${name} says how it was derived`);
  }
});

t.test('the day totals are the recorded ones exactly', async (t) => {
  for (const name of PROFILE_NAMES) {
    const profile = loadProfile(name);
    t.equal(profile.totalMessages, TOTALS[name], name);
    t.equal(dayTotal(profile), TOTALS[name], name);
  }
  t.equal(loadProfile('2016-03-29').recordedOverflows, 12_650);
  t.equal(loadProfile('2016-04-18').recordedOverflows, 79);
});

t.test('the committed JSON is what derive.ts writes', async (t) => {
  for (const name of PROFILE_NAMES) {
    const committed = readFileSync(path.join(projectRoot, 'fixtures/profiles', `${name}.json`), 'utf8');
    t.equal(committed, serializeProfile(deriveProfile(name)), `${name}.json: rerun node fixtures/profiles/derive.ts`);
  }
});

t.test('every peak-window slot carries more than every off-peak slot', async (t) => {
  for (const name of PROFILE_NAMES) {
    const slots = loadProfile(name).slots;
    const peak = slots.filter((slot) => PEAK_STARTS.has(slot.start)).map(slotTotal);
    const offPeak = slots.filter((slot) => !PEAK_STARTS.has(slot.start)).map(slotTotal);
    t.equal(peak.length, 21, name);
    t.ok(Math.min(...peak) > Math.max(...offPeak), `${name}: ${Math.min(...peak)} > ${Math.max(...offPeak)}`);
  }
});

t.test('on 2016-03-29 a peak slot is 4,000 moves plus 12,000 card work', async (t) => {
  for (const slot of loadProfile('2016-03-29').slots.filter((s) => PEAK_STARTS.has(s.start))) {
    t.equal(slot.messages.move, 4_000, slot.start);
    t.equal(slotTotal(slot) - slot.messages.move, 12_000, slot.start);
  }
});

t.test('an unknown name throws one line naming the known ones', async (t) => {
  t.throws(() => loadProfile('2016-03-30'), { message: 'unknown profile "2016-03-30": use one of 2016-03-29, 2016-04-18' });
});
