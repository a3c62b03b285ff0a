-- revshare schema 0002: partners, their agreements, and the record of every load (SPEC §3.1).
-- Rates, prices, bounds and tolerances are exact integers of micro-units (10^-6).
-- partner and agreement hold the agreements in force now; agreement_load keeps every load,
-- with the canonical text of what it loaded, for the audit trail.

CREATE TABLE partner (
    id                 TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64
                           AND id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9-]*'),
    name               TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    currency           TEXT NOT NULL CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*'),
    payment_terms_days INTEGER NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 3650)
) STRICT;

CREATE TABLE agreement (
    id                              TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    partner_id                      TEXT NOT NULL REFERENCES partner (id),
    effective_from                  TEXT NOT NULL CHECK (effective_from GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    basis                           TEXT NOT NULL CHECK (basis IN ('revenue_percent', 'per_million_tokens')),
    minimum_monthly_minor           INTEGER CHECK (minimum_monthly_minor >= 0),
    tolerance_amount_micros         INTEGER NOT NULL CHECK (tolerance_amount_micros >= 0),
    tolerance_relative_micros       INTEGER NOT NULL CHECK (tolerance_relative_micros >= 0),
    tolerance_price_relative_micros INTEGER NOT NULL CHECK (tolerance_price_relative_micros >= 0),
    UNIQUE (partner_id, effective_from)
) STRICT;

-- Marginal tiers of monthly gross revenue; the last one (highest ordinal) has no upper bound.
CREATE TABLE agreement_tier (
    agreement_id TEXT NOT NULL REFERENCES agreement (id) ON DELETE CASCADE,
    ordinal      INTEGER NOT NULL CHECK (ordinal >= 1),
    up_to_micros INTEGER CHECK (up_to_micros > 0),
    rate_micros  INTEGER NOT NULL CHECK (rate_micros BETWEEN 0 AND 1000000),
    PRIMARY KEY (agreement_id, ordinal)
) STRICT, WITHOUT ROWID;

-- Prices per 1,000,000 tokens: 'fee' prices of a per_million_tokens agreement (model '' is
-- the `default` fallback; a usage row's model is never empty) and the partner's public
-- 'list' prices used by PRICE_ANOMALY.
CREATE TABLE agreement_price (
    agreement_id  TEXT NOT NULL REFERENCES agreement (id) ON DELETE CASCADE,
    price_kind    TEXT NOT NULL CHECK (price_kind IN ('fee', 'list')),
    model         TEXT NOT NULL CHECK (length(model) <= 200),
    input_micros  INTEGER NOT NULL CHECK (input_micros >= 0),
    output_micros INTEGER NOT NULL CHECK (output_micros >= 0),
    PRIMARY KEY (agreement_id, price_kind, model)
) STRICT, WITHOUT ROWID;

CREATE TABLE agreement_load (
    id         INTEGER PRIMARY KEY,
    file_name  TEXT NOT NULL,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    loaded_at  TEXT NOT NULL,
    changed    INTEGER NOT NULL CHECK (changed IN (0, 1)),
    canonical  TEXT NOT NULL
) STRICT;

CREATE TRIGGER agreement_load_no_update BEFORE UPDATE ON agreement_load
BEGIN SELECT RAISE(ABORT, 'agreement_load is append-only'); END;

CREATE TRIGGER agreement_load_no_delete BEFORE DELETE ON agreement_load
BEGIN SELECT RAISE(ABORT, 'agreement_load is append-only'); END;
