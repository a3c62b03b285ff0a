import RevShareCore
import RevShareDomain
import RevShareStore

/// What a reconcile found, in the order of SPEC §9, with each discrepancy's status.
public struct ReconcileReport: Sendable {
    public struct Listed: Sendable {
        public let discrepancy: Discrepancy
        public let status: Discrepancy.Status
    }

    public let period: Period
    public let asOf: CivilDate
    public let listed: [Listed]

    /// Open discrepancies by severity.
    public func openCount(_ severity: Discrepancy.Severity) -> Int {
        listed.filter { $0.status == .open && $0.discrepancy.severity == severity }.count
    }

    /// Whether an open discrepancy of `severity` or worse exists (for `--fail-on`).
    public func hasOpen(atLeast severity: Discrepancy.Severity) -> Bool {
        listed.contains { $0.status == .open && $0.discrepancy.severity <= severity }
    }
}

/// `revshare reconcile --period P [--as-of D]` (SPEC §6).
public enum Reconciler {
    public static let maximumIntegrityFindings = 100

    public static func reconcile(period: Period, asOf: CivilDate, store: Store) throws -> ReconcileReport {
        try store.write("reconcile \(period)") { context in
            let reader = context.reader
            let found = try findings(period: period, asOf: asOf, reader).sorted(by: Discrepancy.precedes)
            let runID = try context.recordReconcileRun(period: period, asOf: asOf)
            var listed: [ReconcileReport.Listed] = []
            for discrepancy in found {
                try context.record(discrepancy.stored, runID: runID)
                let resolved = try reader.discrepancyRecord(id: discrepancy.id)?.isResolved ?? false
                listed.append(.init(discrepancy: discrepancy, status: resolved ? .resolved : .open))
            }
            return ReconcileReport(period: period, asOf: asOf, listed: listed)
        }
    }

    static func findings(period: Period, asOf: CivilDate, _ reader: ReadContext) throws -> [Discrepancy] {
        var found: [Discrepancy] = []
        let closed = try reader.isClosed(period)
        for partner in try reader.partners() {
            guard let agreement = partner.agreement(for: period) else { continue }
            let facts = try PartnerPeriod(partner, agreement, period, reader)
            found += UsageKinds.missingReport(facts, asOf: asOf)
            found += UsageKinds.missingDays(facts)
            found += try UsageKinds.shareMismatch(facts)
            found += UsageKinds.usageMismatch(facts)
            found += UsageKinds.priceAnomaly(facts)
            if closed, let statement = try reader.issuedStatement(partnerID: partner.id, period: period) {
                found += try PaymentKinds.forPartner(partner, statement: statement, asOf: asOf,
                                                     tolerance: agreement.tolerance, reader)
            }
        }
        if closed { found += try PaymentKinds.unknownReferences(period: period, asOf: asOf, reader) }
        found += try integrityFindings(period: period, reader)
        return found
    }

    static func integrityFindings(period: Period, _ reader: ReadContext) throws -> [Discrepancy] {
        try IntegrityCheck.run(reader).problems.prefix(maximumIntegrityFindings).map { problem in
            Discrepancy(.ledgerIntegrity, partner: nil, period: period, message: problem.description,
                        distinguishing: problem.description)
        }
    }

    /// `revshare resolve ID --note TEXT`.
    /// A resolution note's limit, in Unicode scalars (the database checks the same).
    public static let maximumNoteCharacters = 4000

    public static func resolve(id: String, note: String, store: Store) throws -> DiscrepancyRecord {
        guard note.contains(where: { !$0.isWhitespace }) else {
            throw Refusal(.usage, "--note must say why the discrepancy is resolved")
        }
        let noteLength = note.unicodeScalars.count
        guard noteLength <= maximumNoteCharacters else {
            throw Refusal(.invalidInput, "--note is \(noteLength) characters long; a resolution note has at most \(maximumNoteCharacters): shorten it and keep the details in a document it names")
        }
        return try store.write("resolve \(id)") { context in
            guard try context.reader.discrepancyRecord(id: id) != nil else {
                let known = try context.reader.discrepancyIDs(limit: 20)
                throw Refusal(.invalidInput, "no discrepancy \(TerminalText.escaped(id)); \(known.isEmpty ? "none is stored yet: run `revshare reconcile` first" : "known ids include: \(known.joined(separator: ", "))")")
            }
            try context.addResolution(discrepancyID: id, note: note)
            return try context.reader.discrepancyRecord(id: id)!
        }
    }
}

extension Discrepancy {
    var stored: StoredDiscrepancy {
        StoredDiscrepancy(id: id, kind: kind, severity: severity, partnerID: partnerID, period: period,
                          model: model, paymentID: paymentID, expected: expected?.text, actual: actual?.text,
                          difference: difference?.text, message: message)
    }
}
