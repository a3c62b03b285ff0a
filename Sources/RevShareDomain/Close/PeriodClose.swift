import RevShareCore
import RevShareStore

public enum CloseOutcome: Sendable, Equatable {
    case closed([Statement])
    /// The period was closed before: nothing was done.
    case alreadyClosed
}

/// `revshare close PERIOD` (SPEC §4.1): in one IMMEDIATE transaction, compute and post every
/// partner's charges, issue and freeze their statements, and mark the period closed. A close
/// killed at any instant leaves all of it or none; a re-run posts everything exactly once.
public enum PeriodClose {
    ///
    /// A period that has not ended by `today` (UTC) is refused unless `beforeItEnds`: closing
    /// it would lock every earlier period, and usage still to come, out for good.
    public static func close(_ period: Period, today: CivilDate, beforeItEnds: Bool = false,
                             store: Store) throws -> CloseOutcome {
        try store.write("close \(period)") { context in
            let reader = context.reader
            if try reader.isClosed(period) { return .alreadyClosed }
            try checkEnded(period, today: today, beforeItEnds: beforeItEnds)
            try checkOrder(period, reader)
            var statements: [Statement] = []
            for partner in try reader.partners() where partner.agreement(for: period) != nil {
                let computation = try StatementBuilder.compute(partner, period, status: .final, reader)
                for entry in computation.entries { _ = try context.append(entry) }
                for charge in computation.charges { try context.insert(charge) }
                try issue(computation.statement, context)
                statements.append(computation.statement)
            }
            _ = try context.markClosed(period)
            return .closed(statements)
        }
    }

    static func checkEnded(_ period: Period, today: CivilDate, beforeItEnds: Bool) throws {
        guard !beforeItEnds, period.lastDay >= today else { return }
        throw Refusal(.invalidInput, "cannot close \(period): it has not ended yet (its last day is \(period.lastDay), today is \(today) UTC); a close is final and locks every period up to it: pass --before-period-end if you mean it")
    }

    /// The first close may be of any period up to the earliest with usage; after that periods
    /// close one after another with no gap.
    static func checkOrder(_ period: Period, _ reader: ReadContext) throws {
        if let latest = try reader.latestClosedPeriod() {
            guard let next = latest.next, period == next else {
                let next = latest.next.map(\.description) ?? "-"
                let hint = period < latest
                    ? "periods are closed through \(latest) and never out of order; the next period to close is \(next)"
                    : "close \(next) first: periods close one after another"
                throw Refusal(.invalidInput, "cannot close \(period): \(hint)")
            }
        } else if let earliest = try reader.earliestUsagePeriod(), period > earliest {
            throw Refusal(.invalidInput, "cannot close \(period): close \(earliest) first, the earliest period with usage")
        }
    }

    /// Freezes the statement; before writing, checks it against the ledger it was posted to.
    private static func issue(_ statement: Statement, _ context: WriteContext) throws {
        let ledgerClosing = try context.reader.balance(of: .receivable(statement.partnerID), currency: statement.currency,
                                                       asOf: statement.period.lastDay)
        guard ledgerClosing == statement.closingBalanceMinor else {
            throw Refusal(.internalError, "statement \(statement.statementID): closing balance \(statement.closingBalanceMinor) differs from the ledger's receivable \(ledgerClosing); nothing was closed (a revshare bug, please report it)")
        }
        let document = StatementDocument.json(statement)
        try context.insert(IssuedStatement(
            statementID: statement.statementID, partnerID: statement.partnerID, period: statement.period,
            agreementID: statement.agreementID, currency: statement.currency.code, dueDate: statement.dueDate,
            openingBalanceMinor: statement.openingBalanceMinor, shareMinor: statement.shareMinor,
            minimumTrueUpMinor: statement.minimumTrueUpMinor, adjustmentsMinor: statement.adjustmentsMinor,
            chargesMinor: statement.chargesMinor, paymentsMinor: statement.paymentsMinor,
            closingBalanceMinor: statement.closingBalanceMinor, document: document,
            documentSHA256: EntryHash.sha256Hex(Array(document.utf8)), issuedAt: context.recordedAt))
    }
}

/// Statements as users ask for them: the frozen one for a closed period, a draft otherwise.
public enum StatementQuery {
    public enum Found: Sendable {
        /// The document exactly as issued, and the statement read back from it.
        case final(document: String, statement: Statement)
        case draft(Statement)

        public var statement: Statement {
            switch self {
            case .final(_, let statement), .draft(let statement): statement
            }
        }
    }

    public static func statement(partnerID: String, period: Period, store: Store) throws -> Found {
        try store.read("read the statement") { reader in
            guard let partner = try reader.partner(id: partnerID) else {
                let known = try reader.partners().map(\.id).joined(separator: ", ")
                throw Refusal(.invalidInput, "no partner \"\(partnerID)\"; partners: \(known.isEmpty ? "none loaded" : known)")
            }
            return try statement(partner, period, reader)
        }
    }

    /// Every partner's statement for the period (those with an agreement in force), by partner id.
    public static func statements(period: Period, store: Store) throws -> [Found] {
        try store.read("read the statements") { reader in
            let partners = try reader.partners().filter { $0.agreement(for: period) != nil }
            guard !partners.isEmpty else {
                let all = try reader.partners().map { "\($0.id): \($0.agreementsInForce)" }
                throw Refusal(.invalidInput, "no partner has an agreement in force for \(period)\(all.isEmpty ? "; no agreements are loaded" : "; " + all.joined(separator: "; "))")
            }
            return try partners.map { try statement($0, period, reader) }
        }
    }

    static func statement(_ partner: Partner, _ period: Period, _ reader: ReadContext) throws -> Found {
        if try reader.isClosed(period) {
            guard let issued = try reader.issuedStatement(partnerID: partner.id, period: period) else {
                throw Refusal(.invalidInput, "partner \(partner.id) has no statement for \(period): no agreement was in force for it; \(partner.agreementsInForce)")
            }
            return .final(document: issued.document, statement: try StatementDocument.parse(issued.document))
        }
        return .draft(try StatementBuilder.compute(partner, period, status: .draft, reader).statement)
    }
}
