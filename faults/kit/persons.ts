import type { Operation, Recorded } from '../../harness/fault-api.ts';
import type { Claim, Identity, Listing } from './checkers/uniqueness.ts';

/**
 * Who the history says moved in under which resident code, and who the card server listed there
 * afterwards (`Terminal.move` with a person, `personsUnder`): pure readers of a history, for the
 * uniqueness check.
 */

/** A person as a listing gives them: their identity and where they are recorded. */
export interface ListedPerson extends Identity {
  municipality?: string;
  address?: string;
}

function isIdentity(value: unknown): value is Identity {
  const fields = value as Partial<Record<keyof Identity, unknown>> | null;
  return typeof fields?.name === 'string' && typeof fields.birthDate === 'string';
}

/** Every move that named its person, answered or not; `aborted` ones never reached an answer and claim nothing. */
export function moveInClaims(history: Recorded): Array<Claim & { operation: Operation }> {
  return history.requests.flatMap((operation) => {
    const person = operation.data?.['person'];
    const code = operation.data?.['residentCode'];
    if (operation.op !== 'move' || operation.outcome === 'aborted' || !isIdentity(person) || typeof code !== 'string') return [];
    return [{ code, person, acknowledged: operation.outcome === 'ok', atMs: operation.endMs, request: operation.id, operation }];
  });
}

/**
 * Every answered listing of a code. A `persons` field the history kept only cut short (a string,
 * not an array) is no listing: nobody can tell from it who holds the code.
 */
export function personListings(history: Recorded): { listings: Array<Listing<ListedPerson>>; unreadable: Operation[] } {
  const listings: Array<Listing<ListedPerson>> = [];
  const unreadable: Operation[] = [];
  for (const operation of history.requests) {
    const code = operation.data?.['residentCode'];
    if (operation.op !== 'query-persons' || operation.outcome !== 'ok' || typeof code !== 'string') continue;
    const persons = operation.body?.['persons'];
    if (Array.isArray(persons) && persons.every(isIdentity)) listings.push({ code, persons: persons as ListedPerson[], startMs: operation.startMs, atMs: operation.endMs, request: operation.id });
    else unreadable.push(operation);
  }
  return { listings, unreadable };
}

/** A person in a summary: name, birth date and, where a listing said, where they are recorded. */
export function describePerson(person: ListedPerson): string {
  const where = [person.municipality, person.address].filter((part) => part !== undefined).join(' ');
  return `${person.name} (${person.birthDate}${where ? `, ${where}` : ''})`;
}
