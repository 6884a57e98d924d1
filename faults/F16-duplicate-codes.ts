import type { Judgement, Operation, Recorded, Rng, SystemView } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { samePerson, uniqueness } from './kit/checkers/uniqueness.ts';
import { failed, roleOf } from './kit/evidence.ts';
import { describePerson, moveInClaims, personListings, type ListedPerson } from './kit/persons.ts';
import { personsUnder, Terminal, TERMINAL_TIMEOUTS, type Person } from './kit/terminal.ts';
import type { Fault } from './types.ts';

// Short, so that a listing stays well within the history's bound on a kept field
// (kit/terminal.ts, personsUnder).
const FAMILY_NAMES = ['Sato', 'Ito', 'Kato', 'Abe', 'Ono', 'Endo', 'Mori', 'Ueda', 'Goto', 'Saito'] as const;
const GIVEN_NAMES = ['Ken', 'Yui', 'Mio', 'Sho', 'Rin', 'Aoi', 'Ren', 'Emi', 'Jun', 'Kai'] as const;

function birthDate(rng: Rng): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${rng.int(1940, 2005)}-${two(rng.int(1, 12))}-${two(rng.int(1, 28))}`;
}

/** Two persons who share nothing that identifies them: another family name, another birth date. */
function twoPersons(rng: Rng): [Person, Person] {
  const family = rng.int(0, FAMILY_NAMES.length - 1);
  const other = (family + rng.int(1, FAMILY_NAMES.length - 1)) % FAMILY_NAMES.length;
  const a = { name: `${FAMILY_NAMES[family]} ${rng.pick(GIVEN_NAMES)}`, birthDate: birthDate(rng) };
  let b = { name: `${FAMILY_NAMES[other]} ${rng.pick(GIVEN_NAMES)}`, birthDate: birthDate(rng) };
  while (b.birthDate === a.birthDate) b = { ...b, birthDate: birthDate(rng) };
  return [a, b];
}

const address = (rng: Rng) => `${rng.int(1, 9)}-${rng.int(1, 30)}`;

/**
 * F16: a move-in at one municipality under a resident code another person already holds at
 * another (in 2010 one municipality did this, and the duplicate stood for five years). Person A
 * moves in at the first municipality; person B at the second under A's code; then A moves to the
 * second municipality under the same code, which must still work: a build that refuses every
 * repeat of a code does not pass. After each move the card server lists everyone under the code.
 */
const fault: Fault = {
  id: 'F16',
  ...catalogEntry('F16'),
  // No timer of the system may decide this test: generous timeouts, as an operator sets them.
  topology: { municipalities: 2, relays: 1, cardServers: 1, parameters: { CS_SEARCH_TIMEOUT_MS: '600000', CS_REQUEST_TIMEOUT_MS: '600000', RELAY_TIMEOUT_MS: '600000' } },
  limitMs: 30_000,
  async run(context) {
    const { topology, view, rng, signal } = context;
    const [first, second] = view.municipalities;
    const [cardServer] = view.cardServers;
    if (!first || !second || !cardServer) throw new Error('F16 needs two CSs and a card server');
    const terminal = (municipality: typeof first, name: string) =>
      new Terminal(context.client(name, TERMINAL_TIMEOUTS), municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng, signal);
    const atFirst = terminal(first, 'terminal-1');
    const atSecond = terminal(second, 'terminal-2');
    const oracle = context.client('oracle');
    const code = String(rng.int(10_000_000_000, 99_999_999_999));
    const [a, b] = twoPersons(rng);
    const listed = () => personsUnder(oracle, cardServer, () => topology.component(cardServer).endpoint(view.ports.cardServer), code, signal);

    await atFirst.move('work', code, address(rng), a);
    await listed();
    await atSecond.move('trigger', code, address(rng), b);
    await listed();
    await atSecond.move('innocent', code, address(rng), a);
    await listed();
  },
  judge,
};

/** Where a move was sent, by its CS's name when the view knows the terminal link. */
function describeMove(operation: Operation, view: SystemView | undefined): string {
  const cs = view?.municipalities.find((municipality) => municipality.terminalLink === operation.target)?.cs ?? operation.target;
  const person = operation.data?.['person'] as ListedPerson;
  const answer = operation.status !== undefined ? `answered ${operation.status}` : operation.outcome;
  return `${person.name} at ${cs} #${operation.id} (${String(operation.data?.['requestId'])}, ${answer})`;
}

/**
 * Uniqueness over the history: two persons under one code, or an acknowledged move-in whose person
 * another replaced, is a finding; the conflicting move-in refused while the holder's own move still
 * works, a pass. Only statuses and the listings decide, never the words of a refusal.
 */
export function judge(history: Recorded, view?: SystemView): Judgement {
  const moves = moveInClaims(history);
  const { listings, unreadable } = personListings(history);
  const report = uniqueness(moves, listings);
  const byRole = (role: string) => moves.find((move) => roleOf(move.operation) === role)?.operation;
  const [first, trigger, control] = [byRole('work'), byRole('trigger'), byRole('innocent')];
  const code = String((trigger ?? first)?.data?.['residentCode'] ?? '?');
  const madeIt = [first, trigger, control].filter((move) => move !== undefined).map((move) => describeMove(move, view));
  const details = {
    code,
    moves: madeIt,
    duplicated: report.duplicated.map(({ code, persons, listing }) => ({ code, persons, listing: listing.request })),
    overwritten: report.overwritten.map(({ claim, holders, listing }) => ({ code: claim.code, person: claim.person, move: claim.request, holders, listing: listing.request })),
    unreadable: unreadable.map((operation) => operation.id),
  };

  if (!report.ok) {
    const duplicates = report.duplicated.map(
      (duplicate) => `code ${duplicate.code} stands for ${duplicate.persons.length} persons: ${duplicate.persons.map(describePerson).join(' and ')} (listing #${duplicate.listing.request})`,
    );
    const replaced = report.overwritten.map(
      (overwrite) => `${overwrite.claim.person.name}'s acknowledged move-in #${overwrite.claim.request} under ${overwrite.claim.code} gone, ${overwrite.holders.map(describePerson).join(' and ')} there instead (listing #${overwrite.listing.request})`,
    );
    const atMs = Math.min(...report.duplicated.map((duplicate) => duplicate.listing.atMs), ...report.overwritten.map((overwrite) => overwrite.listing.atMs));
    return { verdict: 'finding', detectedAfterMs: Math.round(atMs), summary: `${[...duplicates, ...replaced].join('; ')}; moves: ${madeIt.join(', ')}`, details };
  }
  if (!first || !trigger) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `the move-ins under one code were not all sent (${madeIt.join(', ') || 'none'})`, details };
  if (failed(first)) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `the first move-in failed, so the code had no holder to conflict with: ${describeMove(first, view)}`, details };
  const refused = trigger.status !== undefined && trigger.status >= 400 && trigger.status < 500;
  if (refused && control && failed(control)) {
    return { verdict: 'finding', detectedAfterMs: Math.round(control.endMs), summary: `the holder's own move under code ${code} failed after the conflicting move-in was refused: ${madeIt.join(', ')}`, details };
  }
  const holder = first.data?.['person'] as ListedPerson;
  const last = listings.filter((listing) => control && listing.startMs >= control.endMs).at(-1);
  if (refused && control?.outcome === 'ok' && last?.persons.some((person) => samePerson(person, holder))) {
    return { verdict: 'pass', detectedAfterMs: null, summary: `the conflicting move-in under code ${code} was refused and the holder's own move worked; listing #${last.request} shows ${last.persons.map(describePerson).join(', ')}: ${madeIt.join(', ')}`, details };
  }
  let why = "no listing read after the holder's own move shows the holder";
  if (!refused) why = trigger.outcome === 'ok' ? 'the conflicting move-in was answered 200 and no listing read afterwards shows what it did' : 'the conflicting move-in failed rather than being refused';
  else if (control?.outcome !== 'ok') why = "the holder's own move got no answer";
  const cut = unreadable.length > 0 ? ` (${unreadable.length} listing(s) kept only cut short)` : '';
  return { verdict: 'inconclusive', detectedAfterMs: null, summary: `no duplicate seen under code ${code}, but ${why}${cut}: ${madeIt.join(', ')}`, details };
}

export default fault;
