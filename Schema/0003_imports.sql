-- revshare schema 0003: imported files and their rows (SPEC §3.2–3.4).
-- Everything here is append-only: a restatement adds a new report that supersedes the old
-- one (the old rows stay for the audit trail), and the meter's newest report wins the same way.

CREATE TABLE import_file (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('usage', 'payments', 'meter')),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    imported_at TEXT NOT NULL,
    row_count   INTEGER NOT NULL CHECK (row_count >= 0),
    restate     INTEGER NOT NULL CHECK (restate IN (0, 1)),
    UNIQUE (kind, sha256)
) STRICT;

-- One partner's usage for one period from one file. Rows are written before their report
-- (the foreign key is checked at commit), so the totals are known when the report is written.
CREATE TABLE usage_report (
    id                   INTEGER PRIMARY KEY,
    import_file_id       INTEGER NOT NULL REFERENCES import_file (id),
    partner_id           TEXT NOT NULL REFERENCES partner (id),
    period               TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    replaces_report_id   INTEGER REFERENCES usage_report (id),
    row_count            INTEGER NOT NULL CHECK (row_count >= 1),
    requests             INTEGER NOT NULL CHECK (requests >= 0),
    input_tokens         INTEGER NOT NULL CHECK (input_tokens >= 0),
    output_tokens        INTEGER NOT NULL CHECK (output_tokens >= 0),
    gross_revenue_micros INTEGER NOT NULL CHECK (gross_revenue_micros >= 0),
    UNIQUE (partner_id, period, import_file_id)
) STRICT;

CREATE INDEX usage_report_by_partner_period ON usage_report (partner_id, period, id);

CREATE TABLE usage_row (
    report_id             INTEGER NOT NULL REFERENCES usage_report (id) DEFERRABLE INITIALLY DEFERRED,
    usage_date            TEXT NOT NULL,
    model                 TEXT NOT NULL,
    region                TEXT NOT NULL,
    line                  INTEGER NOT NULL CHECK (line >= 2),
    requests              INTEGER NOT NULL CHECK (requests >= 0),
    input_tokens          INTEGER NOT NULL CHECK (input_tokens >= 0),
    output_tokens         INTEGER NOT NULL CHECK (output_tokens >= 0),
    gross_revenue_micros  INTEGER NOT NULL CHECK (gross_revenue_micros >= 0),
    reported_share_micros INTEGER CHECK (reported_share_micros >= 0),
    PRIMARY KEY (report_id, usage_date, model, region)
) STRICT, WITHOUT ROWID;

-- The report in force for each (partner, period): the newest one.
CREATE VIEW current_usage_report AS
SELECT r.* FROM usage_report AS r
WHERE r.id = (SELECT max(n.id) FROM usage_report AS n
              WHERE n.partner_id = r.partner_id AND n.period = r.period);

CREATE TABLE meter_report (
    id             INTEGER PRIMARY KEY,
    import_file_id INTEGER NOT NULL REFERENCES import_file (id),
    partner_id     TEXT NOT NULL REFERENCES partner (id),
    period         TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    row_count      INTEGER NOT NULL CHECK (row_count >= 1),
    input_tokens   INTEGER NOT NULL CHECK (input_tokens >= 0),
    output_tokens  INTEGER NOT NULL CHECK (output_tokens >= 0),
    UNIQUE (partner_id, period, import_file_id)
) STRICT;

CREATE INDEX meter_report_by_partner_period ON meter_report (partner_id, period, id);

CREATE TABLE meter_row (
    report_id     INTEGER NOT NULL REFERENCES meter_report (id) DEFERRABLE INITIALLY DEFERRED,
    usage_date    TEXT NOT NULL,
    model         TEXT NOT NULL,
    line          INTEGER NOT NULL CHECK (line >= 2),
    input_tokens  INTEGER NOT NULL CHECK (input_tokens >= 0),
    output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
    PRIMARY KEY (report_id, usage_date, model)
) STRICT, WITHOUT ROWID;

CREATE VIEW current_meter_report AS
SELECT r.* FROM meter_report AS r
WHERE r.id = (SELECT max(n.id) FROM meter_report AS n
              WHERE n.partner_id = r.partner_id AND n.period = r.period);

-- A payment and the ledger entry that posts it are written in one transaction.
CREATE TABLE payment (
    payment_id     TEXT PRIMARY KEY CHECK (length(CAST(payment_id AS BLOB)) BETWEEN 1 AND 200),
    partner_id     TEXT NOT NULL REFERENCES partner (id),
    received_on    TEXT NOT NULL CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    posted_on      TEXT NOT NULL CHECK (posted_on >= received_on),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    currency       TEXT NOT NULL CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*'),
    reference      TEXT CHECK (reference GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    import_file_id INTEGER NOT NULL REFERENCES import_file (id),
    line           INTEGER NOT NULL CHECK (line >= 2),
    entry_seq      INTEGER NOT NULL UNIQUE REFERENCES ledger_entry (seq)
) STRICT;

CREATE INDEX payment_by_partner ON payment (partner_id, received_on, payment_id);
CREATE INDEX payment_by_partner_posted_on ON payment (partner_id, posted_on);
CREATE INDEX payment_by_posted_on ON payment (posted_on);

-- The close sets this marker (SPEC §4.1); agreements and imports consult it.
CREATE TABLE closed_period (
    period    TEXT PRIMARY KEY CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    closed_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER import_file_no_update BEFORE UPDATE ON import_file
BEGIN SELECT RAISE(ABORT, 'import_file is append-only'); END;
CREATE TRIGGER import_file_no_delete BEFORE DELETE ON import_file
BEGIN SELECT RAISE(ABORT, 'import_file is append-only'); END;
CREATE TRIGGER usage_report_no_update BEFORE UPDATE ON usage_report
BEGIN SELECT RAISE(ABORT, 'usage_report is append-only; restate with a new file'); END;
CREATE TRIGGER usage_report_no_delete BEFORE DELETE ON usage_report
BEGIN SELECT RAISE(ABORT, 'usage_report is append-only; restate with a new file'); END;
CREATE TRIGGER usage_row_no_update BEFORE UPDATE ON usage_row
BEGIN SELECT RAISE(ABORT, 'usage_row is append-only; restate with a new file'); END;
CREATE TRIGGER usage_row_no_delete BEFORE DELETE ON usage_row
BEGIN SELECT RAISE(ABORT, 'usage_row is append-only; restate with a new file'); END;
CREATE TRIGGER meter_report_no_update BEFORE UPDATE ON meter_report
BEGIN SELECT RAISE(ABORT, 'meter_report is append-only'); END;
CREATE TRIGGER meter_report_no_delete BEFORE DELETE ON meter_report
BEGIN SELECT RAISE(ABORT, 'meter_report is append-only'); END;
CREATE TRIGGER meter_row_no_update BEFORE UPDATE ON meter_row
BEGIN SELECT RAISE(ABORT, 'meter_row is append-only'); END;
CREATE TRIGGER meter_row_no_delete BEFORE DELETE ON meter_row
BEGIN SELECT RAISE(ABORT, 'meter_row is append-only'); END;
CREATE TRIGGER payment_no_update BEFORE UPDATE ON payment
BEGIN SELECT RAISE(ABORT, 'payment is append-only'); END;
CREATE TRIGGER payment_no_delete BEFORE DELETE ON payment
BEGIN SELECT RAISE(ABORT, 'payment is append-only'); END;
CREATE TRIGGER closed_period_no_update BEFORE UPDATE ON closed_period
BEGIN SELECT RAISE(ABORT, 'closed_period is append-only: a closed period stays closed'); END;
CREATE TRIGGER closed_period_no_delete BEFORE DELETE ON closed_period
BEGIN SELECT RAISE(ABORT, 'closed_period is append-only: a closed period stays closed'); END;
