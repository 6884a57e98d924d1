/**
 * Reconciliation: two stores that must agree about the same thing do agree (a card's chip against
 * its record at the card server, a batch's console against the records and the notice that
 * reached the municipality, one card server against another). Pure: the caller pairs what each
 * store said from its history and says what agreeing means.
 */

export interface Pair<L, R> {
  key: string;
  left: L;
  right: R;
}

export interface ReconciliationReport<L, R> {
  ok: boolean;
  compared: number;
  disagreements: Array<Pair<L, R>>;
}

export function reconcile<L, R>(pairs: ReadonlyArray<Pair<L, R>>, agree: (left: L, right: R) => boolean): ReconciliationReport<L, R> {
  const disagreements = pairs.filter((pair) => !agree(pair.left, pair.right));
  return { ok: disagreements.length === 0, compared: pairs.length, disagreements };
}
