-- revshare schema 0005: reconciliation findings and their resolutions (SPEC §6).

-- Each run of `reconcile` for a period and as-of date.
CREATE TABLE reconcile_run (
    id      INTEGER PRIMARY KEY,
    period  TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    as_of   TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    ran_at  TEXT NOT NULL
) STRICT;

CREATE INDEX reconcile_run_by_period ON reconcile_run (period, id);

CREATE TRIGGER reconcile_run_no_update BEFORE UPDATE ON reconcile_run
BEGIN SELECT RAISE(ABORT, 'reconcile_run is append-only'); END;
CREATE TRIGGER reconcile_run_no_delete BEFORE DELETE ON reconcile_run
BEGIN SELECT RAISE(ABORT, 'reconcile_run is append-only'); END;

-- A discrepancy is identified by its facts (kind, partner, period, model, payment): the same
-- facts give the same id on every run. Its figures are those of the latest run that found it;
-- `last_run_id` tells whether the latest run of its period still finds it.
CREATE TABLE discrepancy (
    id            TEXT PRIMARY KEY CHECK (id GLOB 'D-[0-9a-f]*' AND length(id) = 18),
    kind          TEXT NOT NULL CHECK (kind IN ('MISSING_REPORT', 'MISSING_DAYS', 'SHARE_MISMATCH', 'USAGE_MISMATCH',
                      'PRICE_ANOMALY', 'PAYMENT_SHORTFALL', 'LATE_PAYMENT', 'OVERPAYMENT', 'UNKNOWN_REFERENCE',
                      'LEDGER_INTEGRITY')),
    severity      TEXT NOT NULL CHECK (severity IN ('critical', 'warning')),
    partner_id    TEXT,
    period        TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    model         TEXT,
    payment_id    TEXT,
    expected      TEXT,
    actual        TEXT,
    difference    TEXT,
    message       TEXT NOT NULL,
    first_run_id  INTEGER NOT NULL REFERENCES reconcile_run (id),
    last_run_id   INTEGER NOT NULL REFERENCES reconcile_run (id),
    CHECK (last_run_id >= first_run_id)
) STRICT;

CREATE INDEX discrepancy_by_period ON discrepancy (period, last_run_id);

-- Resolutions are kept for the audit trail; the latest one gives the status.
CREATE TABLE discrepancy_resolution (
    id             INTEGER PRIMARY KEY,
    discrepancy_id TEXT NOT NULL REFERENCES discrepancy (id),
    note           TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 4000),
    resolved_at    TEXT NOT NULL
) STRICT;

CREATE TRIGGER discrepancy_resolution_no_update BEFORE UPDATE ON discrepancy_resolution
BEGIN SELECT RAISE(ABORT, 'discrepancy_resolution is append-only'); END;
CREATE TRIGGER discrepancy_resolution_no_delete BEFORE DELETE ON discrepancy_resolution
BEGIN SELECT RAISE(ABORT, 'discrepancy_resolution is append-only'); END;
CREATE TRIGGER discrepancy_no_delete BEFORE DELETE ON discrepancy
BEGIN SELECT RAISE(ABORT, 'discrepancy rows are kept for the audit trail'); END;
CREATE TRIGGER discrepancy_facts_fixed BEFORE UPDATE OF id, kind, severity, partner_id, period, model, payment_id, first_run_id
ON discrepancy
BEGIN SELECT RAISE(ABORT, 'a discrepancy''s facts never change; only its latest figures do'); END;
