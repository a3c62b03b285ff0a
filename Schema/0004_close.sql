-- revshare schema 0004: month close, frozen statements and the charges behind them (SPEC §4).

-- One statement per partner with an agreement in force for a closed period, frozen as issued:
-- `document` is the statement's JSON (SPEC §7.1) byte for byte; the columns repeat its totals
-- so that `verify` can hold them against the document and against the ledger.
CREATE TABLE statement (
    statement_id          TEXT PRIMARY KEY,
    partner_id            TEXT NOT NULL REFERENCES partner (id),
    period                TEXT NOT NULL REFERENCES closed_period (period) DEFERRABLE INITIALLY DEFERRED,
    agreement_id          TEXT NOT NULL,
    currency              TEXT NOT NULL CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*'),
    due_date              TEXT NOT NULL CHECK (due_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    opening_balance_minor INTEGER NOT NULL,
    share_minor           INTEGER NOT NULL CHECK (share_minor >= 0),
    minimum_true_up_minor INTEGER NOT NULL CHECK (minimum_true_up_minor >= 0),
    adjustments_minor     INTEGER NOT NULL,
    charges_minor         INTEGER NOT NULL
                              CHECK (charges_minor = share_minor + minimum_true_up_minor + adjustments_minor),
    payments_minor        INTEGER NOT NULL CHECK (payments_minor >= 0),
    closing_balance_minor INTEGER NOT NULL
                              CHECK (closing_balance_minor = opening_balance_minor + charges_minor - payments_minor),
    document              TEXT NOT NULL,
    document_sha256       TEXT NOT NULL CHECK (length(document_sha256) = 64),
    issued_at             TEXT NOT NULL,
    UNIQUE (partner_id, period)
) STRICT;

-- Every computation of a period's charges: at the period's own close (share and true-up) and at
-- each later close that billed a prior-period adjustment for it. `usage_report_id` is the report
-- the computation used (NULL: no usage), so a later restatement is seen as a different report.
CREATE TABLE period_charge (
    partner_id            TEXT NOT NULL REFERENCES partner (id),
    for_period            TEXT NOT NULL CHECK (for_period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    posted_period         TEXT NOT NULL CHECK (posted_period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    usage_report_id       INTEGER REFERENCES usage_report (id),
    share_minor           INTEGER NOT NULL CHECK (share_minor >= 0),
    minimum_true_up_minor INTEGER NOT NULL CHECK (minimum_true_up_minor >= 0),
    charged_minor         INTEGER NOT NULL,
    PRIMARY KEY (partner_id, for_period, posted_period),
    CHECK (posted_period >= for_period)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER statement_no_update BEFORE UPDATE ON statement
BEGIN SELECT RAISE(ABORT, 'statement is frozen: a final statement never changes'); END;
CREATE TRIGGER statement_no_delete BEFORE DELETE ON statement
BEGIN SELECT RAISE(ABORT, 'statement is frozen: a final statement never changes'); END;
CREATE TRIGGER period_charge_no_update BEFORE UPDATE ON period_charge
BEGIN SELECT RAISE(ABORT, 'period_charge is append-only'); END;
CREATE TRIGGER period_charge_no_delete BEFORE DELETE ON period_charge
BEGIN SELECT RAISE(ABORT, 'period_charge is append-only'); END;
