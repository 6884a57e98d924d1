import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLOutputValue } from 'node:sqlite';

/** A card as the oracles see it (CONTRACT.md 2.3): the photo by its size, never its bytes. */
export interface CardRecord {
  cardId: string;
  residentCode: string;
  status: string;
  icDigest: string;
  address: string | null;
  certificateSerial: string | null;
  photoBytes: number;
}

/** Who lives where under a resident code (F16's oracle): a person is their name and birth date. */
export interface Person {
  name: string;
  birthDate: string;
  municipality: string;
  address: string;
}

export interface Notice {
  batchId: string;
  count: number;
  time: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS cards (
    card_id TEXT PRIMARY KEY,
    resident_code TEXT NOT NULL,
    status TEXT NOT NULL,
    ic_digest TEXT NOT NULL,
    address TEXT,
    certificate_serial TEXT,
    photo BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS cards_by_resident ON cards (resident_code);
  CREATE TABLE IF NOT EXISTS requests (
    request_id TEXT PRIMARY KEY,
    op TEXT NOT NULL,
    result TEXT NOT NULL,
    time TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality TEXT NOT NULL,
    batch_id TEXT NOT NULL UNIQUE,
    count INTEGER NOT NULL,
    time TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS batch_records (
    batch_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    municipality TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (batch_id, seq)
  );
  CREATE TABLE IF NOT EXISTS persons (
    resident_code TEXT NOT NULL,
    name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    municipality TEXT NOT NULL,
    address TEXT NOT NULL,
    PRIMARY KEY (resident_code, name, birth_date)
  );
  CREATE TABLE IF NOT EXISTS serials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    card_id TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS revoked_certificates (
    serial TEXT PRIMARY KEY,
    job_id TEXT NOT NULL
  );
`;

const CARD_COLUMNS = `card_id, resident_code, status, ic_digest, address, certificate_serial, length(photo) AS photo_bytes`;

function toCard(row: Record<string, SQLOutputValue>): CardRecord {
  return {
    cardId: String(row.card_id),
    residentCode: String(row.resident_code),
    status: String(row.status),
    icDigest: String(row.ic_digest),
    address: row.address === null ? null : String(row.address),
    certificateSerial: row.certificate_serial === null ? null : String(row.certificate_serial),
    photoBytes: Number(row.photo_bytes),
  };
}

/** The card server's SQLite database: cards, persons, processed requests, batch records and notices. */
export class CardStore {
  readonly #db: DatabaseSync;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    // The busy timeout lets two card servers handed the same directory wait for each other.
    this.#db = new DatabaseSync(path.join(dataDir, 'card-server.db'), { timeout: 5000 });
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    this.#db.exec(SCHEMA);
  }

  /** Runs `work` as one transaction, so a crash never leaves half an operation behind. */
  transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  card(cardId: string): CardRecord | undefined {
    const row = this.#db.prepare(`SELECT ${CARD_COLUMNS} FROM cards WHERE card_id = ?`).get(cardId);
    return row && toCard(row);
  }

  cardsOf(residentCode: string): CardRecord[] {
    return this.#db.prepare(`SELECT ${CARD_COLUMNS} FROM cards WHERE resident_code = ? ORDER BY card_id`).all(residentCode).map(toCard);
  }

  putCard(card: { cardId: string; residentCode: string; status: string; icDigest: string; certificateSerial: string; photo: Buffer }): void {
    this.#db
      .prepare(
        `INSERT INTO cards (card_id, resident_code, status, ic_digest, certificate_serial, photo) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (card_id) DO UPDATE SET resident_code = excluded.resident_code, status = excluded.status,
           ic_digest = excluded.ic_digest, certificate_serial = excluded.certificate_serial, photo = excluded.photo`,
      )
      .run(card.cardId, card.residentCode, card.status, card.icDigest, card.certificateSerial, card.photo);
  }

  setRegistration(cardId: string, icDigest: string, status: string): void {
    this.#db.prepare('UPDATE cards SET ic_digest = ?, status = ? WHERE card_id = ?').run(icDigest, status, cardId);
  }

  setAddressOf(residentCode: string, address: string): number {
    return Number(this.#db.prepare('UPDATE cards SET address = ? WHERE resident_code = ?').run(address, residentCode).changes);
  }

  setCertificate(cardId: string, address: string, serial: string): void {
    this.#db.prepare('UPDATE cards SET address = ?, certificate_serial = ? WHERE card_id = ?').run(address, serial, cardId);
  }

  /** Everyone recorded under `residentCode`, in the order they were first recorded. */
  personsUnder(residentCode: string): Person[] {
    return this.#db
      .prepare('SELECT name, birth_date, municipality, address FROM persons WHERE resident_code = ? ORDER BY rowid')
      .all(residentCode)
      .map((row) => ({ name: String(row.name), birthDate: String(row.birth_date), municipality: String(row.municipality), address: String(row.address) }));
  }

  /** Records where a person lives under a code; the same person again moves their own row. */
  putPerson(residentCode: string, person: Person): void {
    this.#db
      .prepare(
        `INSERT INTO persons (resident_code, name, birth_date, municipality, address) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (resident_code, name, birth_date) DO UPDATE SET municipality = excluded.municipality, address = excluded.address`,
      )
      .run(residentCode, person.name, person.birthDate, person.municipality, person.address);
  }

  /** A certificate serial never handed out before, also across restarts. */
  newSerial(cardId: string): string {
    const { lastInsertRowid } = this.#db.prepare('INSERT INTO serials (card_id) VALUES (?)').run(cardId);
    return `S${String(lastInsertRowid).padStart(10, '0')}`;
  }

  /** Certificates the scheduler reports revoked (F11); how many of them a card holds. */
  markRevoked(serials: readonly string[], jobId: string): number {
    const insert = this.#db.prepare('INSERT OR IGNORE INTO revoked_certificates (serial, job_id) VALUES (?, ?)');
    for (const serial of serials) insert.run(serial, jobId);
    const held = this.#db.prepare(`SELECT count(*) AS n FROM cards WHERE certificate_serial IN (SELECT value FROM json_each(?))`).get(JSON.stringify(serials)) as { n: number };
    return held.n;
  }

  requestResult(requestId: string): unknown {
    const row = this.#db.prepare('SELECT result FROM requests WHERE request_id = ?').get(requestId);
    return row ? (JSON.parse(String(row.result)) as unknown) : undefined;
  }

  saveRequest(requestId: string, op: string, result: unknown, time: string): void {
    this.#db.prepare('INSERT INTO requests (request_id, op, result, time) VALUES (?, ?, ?, ?)').run(requestId, op, JSON.stringify(result), time);
  }

  putBatchRecord(batchId: string, seq: number, municipality: string, record: unknown): void {
    this.#db
      .prepare('INSERT OR REPLACE INTO batch_records (batch_id, seq, municipality, record) VALUES (?, ?, ?, ?)')
      .run(batchId, seq, municipality, JSON.stringify(record ?? null));
  }

  batchRecordCount(batchId: string): number {
    return Number(this.#db.prepare('SELECT count(*) AS n FROM batch_records WHERE batch_id = ?').get(batchId)?.n ?? 0);
  }

  /** One notice per batch: committing a batch again does not notify the municipality twice. */
  addNotice(municipality: string, notice: Notice): void {
    this.#db
      .prepare('INSERT OR IGNORE INTO notices (municipality, batch_id, count, time) VALUES (?, ?, ?, ?)')
      .run(municipality, notice.batchId, notice.count, notice.time);
  }

  notices(municipality: string | undefined): Notice[] {
    const rows =
      municipality === undefined
        ? this.#db.prepare('SELECT batch_id, count, time FROM notices ORDER BY id').all()
        : this.#db.prepare('SELECT batch_id, count, time FROM notices WHERE municipality = ? ORDER BY id').all(municipality);
    return rows.map((row) => ({ batchId: String(row.batch_id), count: Number(row.count), time: String(row.time) }));
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
