import RevShareCore
import RevShareDomain
import RevShareStore

/// One audited amount and where it comes from: a ledger entry, a statement, an input file.
public struct AuditFigure: Sendable, Equatable {
    public let amountMinor: Int64
    public let source: String

    public init(amountMinor: Int64, source: String) {
        self.amountMinor = amountMinor
        self.source = source
    }
}

/// `revshare audit --period P [--as-of D]`: everything an auditor asks for about one period
/// (SPEC §1): the input files with their SHA-256, the agreements in force and every agreements
/// load, a tie-out per partner from usage to closing balance with each figure's source, the
/// payment application, every discrepancy of the period with its status and notes, and the
/// `verify` result with the chain head so that a later copy of the database can be compared.
///
/// A value: renderers (text, JSON, CSV, HTML) only format it.
public struct AuditReport: Sendable {
    public let period: Period
    public let asOf: CivilDate
    /// Whether the period is closed (statements final) or open (drafts).
    public let periodClosed: Bool
    /// The reconcile run `build` made so that the discrepancies are current.
    public let reconcileRun: ReconcileRunRecord?
    public let agreements: [AgreementInForce]
    /// Every agreements load ever recorded, oldest first: loads are not per period.
    public let agreementLoads: [AgreementLoadRecord]
    /// The files that feed the period, by import id.
    public let files: [InputFile]
    /// One per partner with an agreement in force for the period, by partner id.
    public let tieOuts: [TieOut]
    /// One per partner with a final statement for the period (none while it is open).
    public let paymentApplication: [PaymentApplicationForPeriod]
    /// Every stored discrepancy of the period: those the latest run found first, then the gone.
    public let discrepancies: [DiscrepancyRecord]
    public let verification: VerificationReport

    /// The last entry of the hash chain: a later copy of the database must extend it.
    public var chainHead: ChainHead? { verification.head }

    /// Whether every partner's tie-out holds and `verify` passed.
    public var ties: Bool { tieOuts.allSatisfy(\.ties) && verification.passed }

    public struct AgreementInForce: Sendable, Equatable {
        public let partner: Partner
        public let agreement: Agreement
        /// The last period it governs; nil while no later agreement of the partner exists.
        public let governedThrough: Period?
    }

    /// An imported file and what it holds for the period.
    public struct InputFile: Sendable, Equatable {
        public struct UsageReport: Sendable, Equatable {
            public let record: UsageReportRecord
            /// The report that replaced this one (a restatement), if any.
            public let replacedByReportID: Int64?
            public var isCurrent: Bool { replacedByReportID == nil }
        }

        public struct MeterReport: Sendable, Equatable {
            public let record: MeterReportRecord
            /// Whether it is the newest meter report of its (partner, period): the one in force.
            public let isCurrent: Bool
        }

        public let file: ImportedFile
        /// Usage reports of the period in this file.
        public let usageReports: [UsageReport]
        /// Meter reports of the period in this file.
        public let meterReports: [MeterReport]
        /// Payments in this file posted in the period or applied to it, in (received_on, id) order.
        public let paymentIDs: [String]
    }

    /// usage → share → true-up → adjustments → charges → payments → closing balance.
    public struct TieOut: Sendable, Equatable {
        public struct Usage: Sendable, Equatable {
            public let report: UsageReportRecord
            public let fileName: String
            public let fileSHA256: String
            public var source: String { "usage_report \(report.id) from \(fileName) (import_file \(report.importFileID))" }
        }

        public struct Adjustment: Sendable, Equatable {
            /// The earlier period it corrects.
            public let period: Period
            public let figure: AuditFigure
        }

        public struct Payment: Sendable, Equatable {
            public let paymentID: String
            public let receivedOn: CivilDate
            public let postedOn: CivilDate?
            public let reference: Period?
            public let figure: AuditFigure
        }

        /// A correction of this period billed by a later close (after a restatement).
        public struct LaterAdjustment: Sendable, Equatable {
            public let postedIn: Period
            public let figure: AuditFigure
        }

        /// One arithmetic or ledger check of the tie-out.
        public struct Check: Sendable, Equatable {
            public let description: String
            public let holds: Bool
        }

        public let partnerID: String
        public let partnerName: String
        public let currency: Currency
        public let agreementID: String
        public let statementID: String
        public let status: Statement.Status
        public let dueDate: CivilDate
        /// The usage report the statement's share was computed from; nil when there was none.
        public let usage: Usage?
        /// The report in force now when it differs from `usage` (restated after the close).
        public let restatedUsage: Usage?
        /// Σ reported_share of the current report's rows, rounded half to even; nil when no row
        /// carries one.
        public let reportedShareMinor: Int64?
        /// The share computed from the current rows (before true-up): what reconciliation expects.
        public let currentShareMinor: Int64
        public let opening: AuditFigure
        public let share: AuditFigure
        public let minimumTrueUp: AuditFigure
        public let adjustments: [Adjustment]
        public let charges: AuditFigure
        public let payments: [Payment]
        public let paymentsTotalMinor: Int64
        public let closing: AuditFigure
        /// The balance of `assets:receivable:<p>` on the period's last day.
        public let ledgerClosingMinor: Int64
        public let laterAdjustments: [LaterAdjustment]
        /// A restatement not billed yet: what the next close will post for this period.
        public let pendingAdjustment: AuditFigure?
        public let checks: [Check]

        public var adjustmentsTotalMinor: Int64 { adjustments.reduce(0) { $0 + $1.figure.amountMinor } }
        public var ties: Bool { checks.allSatisfy(\.holds) }
    }

    /// SPEC §4.5 for one partner and the audited period, recomputed as of `asOf`.
    public struct PaymentApplicationForPeriod: Sendable, Equatable {
        public struct Allocation: Sendable, Equatable {
            public let payment: ReceivedPayment
            /// What of the payment went to the audited period.
            public let amountMinor: Int64
            /// What of it went to other periods, and what it left as credit.
            public let elsewhere: [AllocatedAmount]
            public let unappliedMinor: Int64
            public let source: String
        }

        public let partnerID: String
        public let currency: Currency
        public let dueDate: CivilDate
        public let chargesMinor: Int64
        public let appliedMinor: Int64
        public let outstandingMinor: Int64
        public let completedBy: CompletingPayment?
        /// Days from the due date to the completing payment; nil when on time or not complete.
        public let daysLate: Int?
        public let allocations: [Allocation]
        /// The partner's unapplied credit after every payment up to as-of.
        public let unappliedCreditMinor: Int64
    }

    /// Builds the report. Runs `Reconciler.reconcile(period:asOf:store:)` first so that the
    /// stored discrepancies are those of `asOf`, then reads everything else in one snapshot.
    /// Refuses (65) a period no partner has an agreement in force for.
    public static func build(period: Period, asOf: CivilDate, store: Store) throws -> AuditReport {
        try store.read("check the audited period") { reader in
            let partners = try reader.partners()
            guard !partners.contains(where: { $0.agreement(for: period) != nil }) else { return }
            let starts = partners.flatMap(\.agreements).map(\.effectiveFrom)
            let hint = starts.min().map { "the earliest agreement takes effect in \($0)" } ?? "no agreements are loaded; run `revshare agreements load FILE`"
            throw Refusal(.invalidInput, "no partner has an agreement in force for \(period), so there is nothing to audit; \(hint)")
        }
        _ = try Reconciler.reconcile(period: period, asOf: asOf, store: store)
        return try store.read("build the audit report") { reader in
            try AuditAssembler(period: period, asOf: asOf, reader: reader).assemble()
        }
    }
}

/// A partner's issued statements before a period, for the history chart of a statement.
public enum StatementHistory {
    /// The partner's issued statements of periods before `period`, oldest first, the last `limit`.
    public static func issued(partnerID: String, before period: Period, limit: Int = 11,
                              store: Store) throws -> [IssuedStatement] {
        try store.read("read the statement history") { reader in
            Array(try reader.issuedStatements().filter { $0.partnerID == partnerID && $0.period < period }.suffix(limit))
        }
    }
}
