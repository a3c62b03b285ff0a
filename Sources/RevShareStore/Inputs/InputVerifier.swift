import GRDB
import RevShareCore

/// What `verify` found on the input chain.
public struct InputVerification: Sendable, Equatable {
    public let linksChecked: Int
    public let head: ChainHead?
}

extension ReadContext {
    /// Recomputes every link of the input chain and every sealed input's digest from the rows
    /// stored now, and checks that every input has its link: a report's rows changed together
    /// with its totals, a payment's date, an agreements load, or a sealed input removed, is named.
    func verifyInputs(into problems: inout ProblemList) throws -> InputVerification {
        var previous: ChainStep?
        var sealed = Set<String>()
        var newestAgreementSet: (sequence: Int64, subjectID: Int64, sha256: String)?
        var checked = 0
        let links = try Row.fetchCursor(db, sql: """
            SELECT seq, kind, subject_id, sha256, recorded_at, prev_hash, hash FROM input_digest ORDER BY seq
            """)
        while let row = try links.next() {
            checked += 1
            let sequence = try row.int64("seq", in: "input_digest")
            let subject = "input link \(sequence)"
            let stored = (kind: try row.text("kind", in: "input_digest"), subjectID: try row.int64("subject_id", in: "input_digest"),
                          sha256: try row.text("sha256", in: "input_digest"), recordedAt: try row.text("recorded_at", in: "input_digest"),
                          previousHash: try row.text("prev_hash", in: "input_digest"), hash: try row.text("hash", in: "input_digest"))
            let step = ChainStep(sequence: sequence, previousHash: stored.previousHash, recordedAt: stored.recordedAt,
                                 hash: stored.hash)
            step.check(after: previous, chain: .inputs, subject: subject, into: &problems)
            previous = step
            guard let kind = InputKind(rawValue: stored.kind) else {
                problems.add(subject, "unknown input kind \"\(TerminalText.escaped(stored.kind))\"")
                continue
            }
            let link = InputLink(sequence: sequence, kind: kind, subjectID: stored.subjectID, contentSHA256: stored.sha256,
                                 recordedAt: stored.recordedAt, previousHash: stored.previousHash)
            if link.hash != stored.hash {
                problems.add(subject, "stored hash \(stored.hash.prefix(12))… does not match its content (computed \(link.hash.prefix(12))…): the link was changed")
            }
            sealed.insert("\(kind.rawValue) \(stored.subjectID)")
            if kind == .agreementSet {
                newestAgreementSet = (sequence, stored.subjectID, stored.sha256)
            } else if try contentDigest(kind, subjectID: stored.subjectID) != stored.sha256 {
                problems.add(Self.name(kind, stored.subjectID), "its stored rows differ from those sealed when it was recorded (input link \(sequence)): it was changed outside revshare")
            }
        }
        try checkEverySealed(sealed, into: &problems)
        try checkAgreementsInForce(newestAgreementSet, into: &problems)
        return InputVerification(linksChecked: checked, head: previous.map { ChainHead(sequence: $0.sequence, hash: $0.hash) })
    }

    private func checkEverySealed(_ sealed: Set<String>, into problems: inout ProblemList) throws {
        for kind in InputKind.allCases {
            guard let sql = InputRows.subjects(kind) else { continue }
            for id in try Int64.fetchAll(db, sql: sql) where !sealed.contains("\(kind.rawValue) \(id)") {
                problems.add(Self.name(kind, id), "has no link on the input chain: it was added outside revshare, or its link was removed")
            }
        }
    }

    /// The agreements in force must be those the newest load sealed.
    private func checkAgreementsInForce(_ newest: (sequence: Int64, subjectID: Int64, sha256: String)?,
                                        into problems: inout ProblemList) throws {
        let newestLoad = try optionalInt64("SELECT max(id) FROM agreement_load", column: "id", in: "agreement_load")
        guard let newest else {
            if let newestLoad { problems.add(Self.name(.agreementSet, newestLoad), "has no link on the input chain: its link was removed") }
            return
        }
        if let newestLoad, newestLoad != newest.subjectID {
            problems.add(Self.name(.agreementSet, newestLoad), "has no link on the input chain: its link was removed")
        } else if try contentDigest(.agreementSet, subjectID: newest.subjectID) != newest.sha256 {
            problems.add(Self.name(.agreementSet, newest.subjectID), "the stored partners and agreements differ from those sealed by that load (input link \(newest.sequence)): they were changed outside revshare")
        }
    }

    static func name(_ kind: InputKind, _ id: Int64) -> String {
        switch kind {
        case .usageReport: "usage report \(id)"
        case .meterReport: "meter report \(id)"
        case .paymentFile: "payments file \(id)"
        case .agreementLoad: "agreements load \(id)"
        case .agreementSet: "agreements in force after load \(id)"
        }
    }
}
