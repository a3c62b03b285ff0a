import GRDB
import GRDBSQLite
import RevShareCore

/// The stored rows that make up each kind of input, in the one order their digest reads them.
/// Columns are listed, never `*`, so a later migration that adds a column leaves the digests
/// of inputs already sealed unchanged.
enum InputRows {
    struct Query {
        let table: String
        let sql: String
        /// Whether the query takes the input's id as its one argument.
        var bindsSubject = true
    }

    static func queries(_ kind: InputKind) -> [Query] {
        switch kind {
        case .usageReport: [
            file(joining: "usage_report"),
            Query(table: "usage_report", sql: """
                SELECT id, import_file_id, partner_id, period, replaces_report_id, row_count, requests,
                       input_tokens, output_tokens, gross_revenue_micros FROM usage_report WHERE id = ?
                """),
            Query(table: "usage_row", sql: """
                SELECT usage_date, model, region, line, requests, input_tokens, output_tokens, gross_revenue_micros,
                       reported_share_micros FROM usage_row WHERE report_id = ? ORDER BY usage_date, model, region
                """),
        ]
        case .meterReport: [
            file(joining: "meter_report"),
            Query(table: "meter_report", sql: """
                SELECT id, import_file_id, partner_id, period, row_count, input_tokens, output_tokens
                FROM meter_report WHERE id = ?
                """),
            Query(table: "meter_row", sql: """
                SELECT usage_date, model, line, input_tokens, output_tokens FROM meter_row
                WHERE report_id = ? ORDER BY usage_date, model
                """),
        ]
        case .paymentFile: [
            Query(table: "import_file", sql: fileColumns + " WHERE f.id = ?"),
            Query(table: "payment", sql: """
                SELECT payment_id, partner_id, received_on, posted_on, amount_minor, currency, reference, line, entry_seq
                FROM payment WHERE import_file_id = ? ORDER BY line
                """),
        ]
        case .agreementLoad: [
            Query(table: "agreement_load", sql: """
                SELECT id, file_name, sha256, loaded_at, changed, canonical FROM agreement_load WHERE id = ?
                """),
        ]
        // The agreements in force once a load is done; only the newest load's can be held
        // against the tables, which every load may change.
        case .agreementSet: [
            Query(table: "partner", sql: "SELECT id, name, currency, payment_terms_days FROM partner ORDER BY id",
                  bindsSubject: false),
            Query(table: "agreement", sql: """
                SELECT id, partner_id, effective_from, basis, minimum_monthly_minor, tolerance_amount_micros,
                       tolerance_relative_micros, tolerance_price_relative_micros FROM agreement ORDER BY id
                """, bindsSubject: false),
            Query(table: "agreement_tier", sql: """
                SELECT agreement_id, ordinal, up_to_micros, rate_micros FROM agreement_tier ORDER BY agreement_id, ordinal
                """, bindsSubject: false),
            Query(table: "agreement_price", sql: """
                SELECT agreement_id, price_kind, model, input_micros, output_micros FROM agreement_price
                ORDER BY agreement_id, price_kind, model
                """, bindsSubject: false),
        ]
        }
    }

    private static let fileColumns = """
        SELECT f.id, f.kind, f.file_name, f.sha256, f.imported_at, f.row_count, f.restate FROM import_file AS f
        """

    private static func file(joining report: String) -> Query {
        Query(table: "import_file", sql: fileColumns + " JOIN \(report) AS r ON r.import_file_id = f.id WHERE r.id = ?")
    }

    /// The inputs of each kind that must have a link, by id.
    static func subjects(_ kind: InputKind) -> String? {
        switch kind {
        case .usageReport: "SELECT id FROM usage_report ORDER BY id"
        case .meterReport: "SELECT id FROM meter_report ORDER BY id"
        case .paymentFile: "SELECT id FROM import_file WHERE kind = 'payments' ORDER BY id"
        case .agreementLoad: "SELECT id FROM agreement_load ORDER BY id"
        case .agreementSet: nil
        }
    }
}

extension ReadContext {
    /// The SHA-256 of an input as it is stored now (encoding `revshare-input-v1`).
    public func contentDigest(_ kind: InputKind, subjectID: Int64) throws -> String {
        var digest = InputDigest(kind)
        for query in InputRows.queries(kind) {
            try hashRows(query, subjectID: subjectID, into: &digest)
        }
        return digest.finalizeHex()
    }

    /// The newest link of the input chain.
    public func inputChainHead() throws -> ChainHead? {
        try Row.fetchOne(db, sql: "SELECT seq, hash FROM input_digest ORDER BY seq DESC LIMIT 1").map {
            ChainHead(sequence: try $0.int64("seq", in: "input_digest"), hash: try $0.text("hash", in: "input_digest"))
        }
    }

    /// Every stored value of the query's rows, straight from SQLite's columns: a report of a
    /// million rows is hashed as it is read, without decoding a row into values.
    private func hashRows(_ query: InputRows.Query, subjectID: Int64, into digest: inout InputDigest) throws {
        let statement = try db.cachedStatement(sql: query.sql)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        if query.bindsSubject { sqlite3_bind_int64(handle, 1, subjectID) }
        let columns = sqlite3_column_count(handle)
        while true {
            let code = sqlite3_step(handle)
            guard code == SQLITE_ROW else {
                guard code == SQLITE_DONE else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                        message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: query.sql)
                }
                return
            }
            digest.row(query.table)
            for column in 0..<columns {
                switch sqlite3_column_type(handle, column) {
                case SQLITE_INTEGER:
                    digest.integer(sqlite3_column_int64(handle, column))
                case SQLITE_NULL:
                    digest.null()
                case SQLITE_TEXT:
                    let bytes = sqlite3_column_text(handle, column)
                    let count = Int(sqlite3_column_bytes(handle, column))
                    digest.text(UnsafeRawBufferPointer(start: bytes, count: count))
                default:
                    // STRICT tables of integers and text hold nothing else.
                    let name = String(cString: sqlite3_column_name(handle, column))
                    throw UnreadableRow(table: query.table, column: name, value: "a value that is neither integer nor text")
                }
            }
        }
    }
}

extension WriteContext {
    /// Seals every input one imported file recorded: its usage or meter reports, or its
    /// payments. Called in the import's transaction, after its rows are written.
    public func sealImport(fileID: Int64, kind: ImportKind) throws {
        switch kind {
        case .payments:
            try seal(.paymentFile, subjectID: fileID)
        case .usage, .meter:
            let (inputKind, table): (InputKind, String) = kind == .usage
                ? (.usageReport, "usage_report") : (.meterReport, "meter_report")
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM \(table) WHERE import_file_id = ? ORDER BY id",
                                         arguments: [fileID])
            for id in ids { try seal(inputKind, subjectID: id) }
        }
    }

    /// Appends the link that seals one input, stamped with this transaction's `recordedAt`.
    func seal(_ kind: InputKind, subjectID: Int64) throws {
        try InputChain.append(kind, subjectID: subjectID, recordedAt: recordedAt, db)
    }
}

enum InputChain {
    static func append(_ kind: InputKind, subjectID: Int64, recordedAt: String, _ db: Database) throws {
        let reader = ReadContext(db: db)
        let head = try reader.inputChainHead()
        let link = InputLink(sequence: (head?.sequence ?? 0) + 1, kind: kind, subjectID: subjectID,
                             contentSHA256: try reader.contentDigest(kind, subjectID: subjectID),
                             recordedAt: recordedAt, previousHash: head?.hash ?? EntryHash.genesis)
        try db.execute(sql: """
            INSERT INTO input_digest (seq, kind, subject_id, sha256, recorded_at, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [link.sequence, kind.rawValue, subjectID, link.contentSHA256, recordedAt,
                             link.previousHash, link.hash])
    }

    /// Seals the inputs a database held before it had an input chain, oldest first: each
    /// agreements load, the agreements in force now (sealed with the newest load), and each
    /// imported file's inputs.
    static func sealExisting(_ db: Database, recordedAt: String) throws {
        let loads = try Int64.fetchAll(db, sql: "SELECT id FROM agreement_load ORDER BY id")
        for id in loads { try append(.agreementLoad, subjectID: id, recordedAt: recordedAt, db) }
        if let newest = loads.last { try append(.agreementSet, subjectID: newest, recordedAt: recordedAt, db) }
        let context = WriteContext(db: db, recordedAt: recordedAt)
        for file in try Row.fetchAll(db, sql: "SELECT id, kind FROM import_file ORDER BY id") {
            try context.sealImport(fileID: try file.int64("id", in: "import_file"),
                                   kind: try file.enumeration("kind", in: "import_file"))
        }
    }
}
