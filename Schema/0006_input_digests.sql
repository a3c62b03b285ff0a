-- revshare schema 0006: the input chain. Every stored input a figure derives from (a usage or
-- meter report with its file and rows, a file of payments, an agreements load and the agreements
-- it left in force) is sealed when it is recorded by a link holding the SHA-256 of its canonical
-- rows, chained like the ledger's entries. `verify` recomputes every digest and every link, so an
-- input changed behind the tool's back is found even when every total that mentions it was
-- changed to match. Existing inputs are sealed when this migration runs.

CREATE TABLE input_digest (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    kind        TEXT NOT NULL CHECK (kind IN ('usage_report', 'meter_report', 'payment_file',
                                              'agreement_load', 'agreement_set')),
    subject_id  INTEGER NOT NULL CHECK (subject_id >= 1),
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    recorded_at TEXT NOT NULL CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'),
    prev_hash   TEXT NOT NULL CHECK (length(prev_hash) = 64 AND prev_hash NOT GLOB '*[^0-9a-f]*'),
    hash        TEXT NOT NULL UNIQUE CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    UNIQUE (kind, subject_id)
) STRICT;

CREATE TRIGGER input_digest_extends_chain
BEFORE INSERT ON input_digest
WHEN NEW.seq <> coalesce((SELECT max(seq) FROM input_digest), 0) + 1
  OR NEW.prev_hash <> coalesce((SELECT hash FROM input_digest ORDER BY seq DESC LIMIT 1),
                               '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
    SELECT RAISE(ABORT, 'input_digest: does not extend the input chain head');
END;

CREATE TRIGGER input_digest_no_update BEFORE UPDATE ON input_digest
BEGIN SELECT RAISE(ABORT, 'input_digest is append-only'); END;
CREATE TRIGGER input_digest_no_delete BEFORE DELETE ON input_digest
BEGIN SELECT RAISE(ABORT, 'input_digest is append-only'); END;

-- A file's payments in line order, as the input digest reads them.
CREATE INDEX payment_by_import_file ON payment (import_file_id, line);
