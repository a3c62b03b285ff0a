-- revshare schema 0001: the double-entry ledger (SPEC §5).
-- Append-only, balanced per currency, hash-chained. Amounts are integers in the currency's
-- minor unit; debit positive, credit negative. The database itself refuses what the code
-- must never do, so a bug or a hand-written statement cannot slip a bad row in.

CREATE TABLE ledger_entry (
    seq             INTEGER PRIMARY KEY CHECK (seq >= 1),
    entry_date      TEXT NOT NULL CHECK (entry_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    kind            TEXT NOT NULL CHECK (kind IN ('share', 'minimum_true_up', 'adjustment', 'payment')),
    description     TEXT NOT NULL CHECK (length(CAST(description AS BLOB)) <= 1000),
    idempotency_key TEXT NOT NULL UNIQUE CHECK (length(CAST(idempotency_key AS BLOB)) BETWEEN 1 AND 256),
    recorded_at     TEXT NOT NULL CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'),
    prev_hash       TEXT NOT NULL CHECK (length(prev_hash) = 64 AND prev_hash NOT GLOB '*[^0-9a-f]*'),
    hash            TEXT NOT NULL UNIQUE CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*')
) STRICT;

CREATE INDEX ledger_entry_by_date ON ledger_entry (entry_date);

-- Postings are written before their entry's header (the foreign key is checked at commit);
-- inserting the header seals them.
CREATE TABLE ledger_posting (
    entry_seq    INTEGER NOT NULL REFERENCES ledger_entry (seq) DEFERRABLE INITIALLY DEFERRED,
    line         INTEGER NOT NULL CHECK (line BETWEEN 1 AND 1000),
    account      TEXT NOT NULL CHECK (length(account) BETWEEN 1 AND 200
                     AND account GLOB '[a-z0-9]*' AND account NOT GLOB '*[^a-z0-9:-]*'),
    currency     TEXT NOT NULL CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*'),
    amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
    PRIMARY KEY (entry_seq, line)
) STRICT, WITHOUT ROWID;

-- Covers balances (account, currency, amount without touching the table) and seeks by entry
-- within an account, as verify's payment check does.
CREATE INDEX ledger_posting_by_account ON ledger_posting (account, currency, entry_seq, amount_minor);

CREATE TRIGGER ledger_posting_only_into_open_entry
BEFORE INSERT ON ledger_posting
WHEN EXISTS (SELECT 1 FROM ledger_entry WHERE seq = NEW.entry_seq)
BEGIN
    SELECT RAISE(ABORT, 'ledger_posting: the entry is sealed; corrections are new entries');
END;

CREATE TRIGGER ledger_entry_balanced
BEFORE INSERT ON ledger_entry
WHEN (SELECT count(*) FROM ledger_posting WHERE entry_seq = NEW.seq) < 2
  OR (SELECT max(line) FROM ledger_posting WHERE entry_seq = NEW.seq)
       <> (SELECT count(*) FROM ledger_posting WHERE entry_seq = NEW.seq)
  OR EXISTS (SELECT 1 FROM ledger_posting WHERE entry_seq = NEW.seq
             GROUP BY currency HAVING sum(amount_minor) <> 0)
BEGIN
    SELECT RAISE(ABORT, 'ledger_entry: needs at least 2 postings, numbered from 1, summing to zero per currency');
END;

CREATE TRIGGER ledger_entry_extends_chain
BEFORE INSERT ON ledger_entry
WHEN NEW.seq <> coalesce((SELECT max(seq) FROM ledger_entry), 0) + 1
  OR NEW.prev_hash <> coalesce((SELECT hash FROM ledger_entry ORDER BY seq DESC LIMIT 1),
                               '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
    SELECT RAISE(ABORT, 'ledger_entry: does not extend the chain head');
END;

CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
BEGIN SELECT RAISE(ABORT, 'ledger_entry is append-only: corrections are new entries'); END;

CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
BEGIN SELECT RAISE(ABORT, 'ledger_entry is append-only: corrections are new entries'); END;

CREATE TRIGGER ledger_posting_no_update BEFORE UPDATE ON ledger_posting
BEGIN SELECT RAISE(ABORT, 'ledger_posting is append-only: corrections are new entries'); END;

CREATE TRIGGER ledger_posting_no_delete BEFORE DELETE ON ledger_posting
BEGIN SELECT RAISE(ABORT, 'ledger_posting is append-only: corrections are new entries'); END;
