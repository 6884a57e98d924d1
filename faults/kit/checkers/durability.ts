/**
 * Durability, as Jepsen's set checker sees it: every write the target acknowledged must be read
 * back afterwards. Pure: the caller turns its history into writes and reads (which requests were
 * writes, which contract query read them back), so the same check serves cards, batch records and
 * registrations.
 */

/** A write the harness attempted: `acknowledged` when the target answered that it was done. */
export interface Write {
  key: string;
  acknowledged: boolean;
  atMs: number;
}

/** A read-back after the fault, through a contract query: the key is there or it is not. */
export interface Read {
  key: string;
  present: boolean;
  atMs: number;
}

export interface DurabilityReport {
  ok: boolean;
  attempted: number;
  acknowledged: number;
  /** Acknowledged, then read back absent: the harm. */
  lost: string[];
  /** Read back present though never attempted: data from nowhere. */
  unexpected: string[];
  /** Attempted without an acknowledgement, yet present: the target did it and said otherwise (allowed). */
  recovered: string[];
  /** Acknowledged but never read back: the check could not look (an incomplete run, not a pass). */
  unread: string[];
}

/** The last read of each key decides: a record may come back after a restart. */
export function durability(writes: readonly Write[], reads: readonly Read[]): DurabilityReport {
  const lastRead = new Map<string, Read>();
  for (const read of [...reads].sort((a, b) => a.atMs - b.atMs)) lastRead.set(read.key, read);
  const attempted = new Set(writes.map((write) => write.key));
  const acknowledged = new Set(writes.filter((write) => write.acknowledged).map((write) => write.key));
  const lost: string[] = [];
  const recovered: string[] = [];
  const unread: string[] = [];
  for (const key of attempted) {
    const read = lastRead.get(key);
    if (acknowledged.has(key)) {
      if (!read) unread.push(key);
      else if (!read.present) lost.push(key);
    } else if (read?.present) recovered.push(key);
  }
  const unexpected = [...lastRead.values()].filter((read) => read.present && !attempted.has(read.key)).map((read) => read.key);
  return { ok: lost.length === 0 && unexpected.length === 0, attempted: attempted.size, acknowledged: acknowledged.size, lost, unexpected, recovered, unread };
}
