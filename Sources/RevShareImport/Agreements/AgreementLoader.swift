import RevShareCore
import RevShareDomain
import RevShareStore

/// What one `agreements load` did.
public struct AgreementLoadSummary: Sendable, Equatable {
    /// The path as given, or `<stdin>`.
    public let fileName: String
    /// SHA-256 of the exact bytes loaded, lowercase hex.
    public let sha256: String
    /// Partners and agreements the file holds (the full desired state).
    public let partnerCount: Int
    public let agreementCount: Int
    /// What changed in the database; empty when the file matched what was stored.
    public let diff: AgreementSetDiff
    /// The `agreement_load` row recording this load.
    public let loadID: Int64

    public init(fileName: String, sha256: String, partnerCount: Int, agreementCount: Int, diff: AgreementSetDiff, loadID: Int64) {
        self.fileName = fileName
        self.sha256 = sha256
        self.partnerCount = partnerCount
        self.agreementCount = agreementCount
        self.diff = diff
        self.loadID = loadID
    }

    public var changed: Bool { !diff.isEmpty }
}

/// `agreements load` (SPEC §3.1, §9): the file is the full desired state of partners and
/// agreements. It is parsed and validated whole, compared after parsing with what is stored,
/// checked against the closed periods, applied, and recorded in `agreement_load`, all in one
/// IMMEDIATE transaction. A refused load writes nothing, not even its record.
public enum AgreementLoader {
    /// Reads `path` (`-` for standard input) and loads it.
    public static func load(path: String, into store: Store) throws -> AgreementLoadSummary {
        let input = try AgreementInput.read(path)
        return try load(input.bytes, fileName: input.fileName, into: store)
    }

    /// Loads the bytes of an agreements file; `fileName` names it in messages and in the record.
    public static func load(_ bytes: [UInt8], fileName: String, into store: Store) throws -> AgreementLoadSummary {
        let partners = try AgreementsParser.parse(bytes, fileName: fileName)
        let sha256 = EntryHash.sha256Hex(bytes)
        let canonical = AgreementCanonical.text(partners)
        return try store.write("load agreements from \(fileName)") { context in
            let reader = context.reader
            let current = try reader.partners()
            let diff = AgreementSetDiff(from: current, to: partners)
            let closed = try reader.closedPeriodRange()
            let desiredByID = Dictionary(partners.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let currencyChanged = current.filter { old in
                desiredByID[old.id].map { $0.currency != old.currency } ?? false
            }.map(\.id)
            var references: [String: PartnerReferences] = [:]
            for id in diff.removedPartners + currencyChanged {
                references[id] = try reader.partnerReferences(id: id)
            }
            let problems = AgreementChangeRules.problems(current: current, desired: partners, closed: closed,
                                                         references: references)
            guard problems.isEmpty else { throw AgreementLoadRefusal(file: fileName, problems: problems) }
            if !diff.isEmpty { try context.replaceAgreements(with: partners) }
            let loadID = try context.recordAgreementLoad(fileName: fileName, sha256: sha256, changed: !diff.isEmpty,
                                                         canonical: canonical)
            return AgreementLoadSummary(fileName: fileName, sha256: sha256, partnerCount: partners.count,
                                        agreementCount: partners.reduce(0) { $0 + $1.agreements.count },
                                        diff: diff, loadID: loadID)
        }
    }
}
