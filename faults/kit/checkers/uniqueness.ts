/**
 * Uniqueness: no identity code stands for two different persons. Pure: the caller turns its
 * history into claims (move-ins that named their person under a code, answered or not) and
 * listings (reads of everyone recorded under a code, through a contract query).
 */

/** A person as the records tell persons apart: name and birth date. */
export interface Identity {
  name: string;
  birthDate: string;
}

/** A move-in that named its person under `code`; `acknowledged` when the target answered it done. */
export interface Claim {
  code: string;
  person: Identity;
  acknowledged: boolean;
  /** When the answer came: a listing from then on must show its effect. */
  atMs: number;
  request: number;
}

/** Everyone a read found under `code` (a person may carry more than their identity: where they live). */
export interface Listing<P extends Identity = Identity> {
  code: string;
  persons: readonly P[];
  /** When the read was asked: it must show every claim acknowledged before. */
  startMs: number;
  /** When its answer came. */
  atMs: number;
  request: number;
}

/** A code one listing showed held by more than one distinct person. */
export interface Duplicate<P extends Identity> {
  code: string;
  persons: P[];
  listing: Listing<P>;
}

/** An acknowledged claim whose person a later listing no longer showed, while others held the code. */
export interface Overwrite<P extends Identity> {
  claim: Claim;
  holders: readonly P[];
  listing: Listing<P>;
}

export interface UniquenessReport<P extends Identity> {
  ok: boolean;
  claimed: number;
  acknowledged: number;
  /** The first listing of each code that showed two persons or more. */
  duplicated: Array<Duplicate<P>>;
  /** Per acknowledged claim, the first later listing that showed it replaced. */
  overwritten: Array<Overwrite<P>>;
  /** Codes with an acknowledged claim that no listing read afterwards: the check could not look. */
  unread: string[];
}

export const samePerson = (a: Identity, b: Identity): boolean => a.name === b.name && a.birthDate === b.birthDate;

/** The distinct persons of a listing, in the order it gave them. */
function distinct<P extends Identity>(persons: readonly P[]): P[] {
  return persons.filter((person, index) => persons.findIndex((other) => samePerson(other, person)) === index);
}

export function uniqueness<P extends Identity>(claims: readonly Claim[], listings: ReadonlyArray<Listing<P>>): UniquenessReport<P> {
  const inOrder = [...listings].sort((a, b) => a.atMs - b.atMs);
  const duplicated: Array<Duplicate<P>> = [];
  for (const listing of inOrder) {
    const persons = distinct(listing.persons);
    if (persons.length > 1 && !duplicated.some((duplicate) => duplicate.code === listing.code)) duplicated.push({ code: listing.code, persons, listing });
  }
  const acknowledged = claims.filter((claim) => claim.acknowledged);
  const overwritten: Array<Overwrite<P>> = [];
  const unread = new Set<string>();
  for (const claim of acknowledged) {
    const later = inOrder.filter((listing) => listing.code === claim.code && listing.startMs >= claim.atMs);
    if (later.length === 0) unread.add(claim.code);
    const replaced = later.find((listing) => listing.persons.length > 0 && !listing.persons.some((person) => samePerson(person, claim.person)));
    if (replaced) overwritten.push({ claim, holders: distinct(replaced.persons), listing: replaced });
  }
  return {
    ok: duplicated.length === 0 && overwritten.length === 0,
    claimed: claims.length,
    acknowledged: acknowledged.length,
    duplicated,
    overwritten,
    unread: [...unread],
  };
}
