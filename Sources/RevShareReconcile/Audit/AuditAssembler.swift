import RevShareCore
import RevShareDomain
import RevShareStore

/// Reads one snapshot of the store into an `AuditReport`.
struct AuditAssembler {
    let period: Period
    let asOf: CivilDate
    let reader: ReadContext

    func assemble() throws -> AuditReport {
        let closed = try reader.isClosed(period)
        let partners = try reader.partners().filter { $0.agreement(for: period) != nil }
        let filesByID = Dictionary(uniqueKeysWithValues: try reader.importedFiles().map { ($0.id, $0) })
        let provenance = try reader.paymentProvenance()
        let context = Context(filesByID: filesByID, provenance: provenance)

        var tieOuts: [AuditReport.TieOut] = []
        var applications: [AuditReport.PaymentApplicationForPeriod] = []
        for partner in partners {
            let agreement = partner.agreement(for: period)!
            let issued = closed ? try reader.issuedStatement(partnerID: partner.id, period: period) : nil
            tieOuts.append(try tieOut(partner, agreement, issued: issued, context))
            if let issued {
                applications.append(try paymentApplication(partner, issued, context))
            }
        }
        let paymentIDs = Set(tieOuts.flatMap { $0.payments.map { ExactText($0.paymentID) } })
            .union(applications.flatMap { $0.allocations.map { ExactText($0.payment.paymentID) } })
        return AuditReport(
            period: period, asOf: asOf, periodClosed: closed,
            reconcileRun: try reader.latestReconcileRun(period: period),
            agreements: partners.map { partner in
                let agreement = partner.agreement(for: period)!
                return .init(partner: partner, agreement: agreement, governedThrough: partner.governedRange(of: agreement).through)
            },
            agreementLoads: try reader.agreementLoads(),
            files: try files(filesByID, paymentIDs: paymentIDs, provenance: provenance),
            tieOuts: tieOuts, paymentApplication: applications,
            discrepancies: try reader.discrepancyRecords(period: period).sorted(by: Self.precedes),
            verification: try IntegrityCheck.run(reader))
    }

    struct Context {
        let filesByID: [Int64: ImportedFile]
        let provenance: [ExactText: PaymentProvenance]

        func usage(_ report: UsageReportRecord) -> AuditReport.TieOut.Usage {
            let file = filesByID[report.importFileID]
            return .init(report: report, fileName: file?.fileName ?? "(import_file \(report.importFileID) missing)",
                         fileSHA256: file?.sha256 ?? "")
        }

        func fileName(_ id: Int64) -> String { filesByID[id]?.fileName ?? "(import_file \(id) missing)" }
    }

    // MARK: - Files

    private func files(_ filesByID: [Int64: ImportedFile], paymentIDs: Set<ExactText>,
                       provenance: [ExactText: PaymentProvenance]) throws -> [AuditReport.InputFile] {
        let usage = try reader.usageReports(period: period)
        let replacedBy = Dictionary(usage.compactMap { report in report.replacesReportID.map { ($0, report.id) } },
                                    uniquingKeysWith: { first, _ in first })
        let newestUsage = Dictionary(usage.map { ($0.partnerID, $0.id) }, uniquingKeysWith: { max($0, $1) })
        let meter = try reader.meterReports(period: period)
        let newestMeter = Dictionary(meter.map { ($0.partnerID, $0.id) }, uniquingKeysWith: { max($0, $1) })
        var payments: [Int64: [PaymentRecord]] = [:]
        for id in paymentIDs {
            guard let record = try reader.payment(id: id.string), let file = provenance[id]?.importFileID else { continue }
            payments[file, default: []].append(record)
        }
        let ids = Set(usage.map(\.importFileID)).union(meter.map(\.importFileID)).union(payments.keys)
        return ids.sorted().compactMap { id in
            guard let file = filesByID[id] else { return nil }
            return AuditReport.InputFile(
                file: file,
                usageReports: usage.filter { $0.importFileID == id }.map { report in
                    // A report no later report names as replaced is still superseded when a newer
                    // one of its (partner, period) exists.
                    let successor = replacedBy[report.id]
                        ?? (newestUsage[report.partnerID] == report.id ? nil : newestUsage[report.partnerID])
                    return .init(record: report, replacedByReportID: successor)
                },
                meterReports: meter.filter { $0.importFileID == id }.map {
                    .init(record: $0, isCurrent: newestMeter[$0.partnerID] == $0.id)
                },
                paymentIDs: (payments[id] ?? []).sorted(by: Self.paymentOrder).map(\.paymentID))
        }
    }

    static func paymentOrder(_ a: PaymentRecord, _ b: PaymentRecord) -> Bool {
        a.receivedOn != b.receivedOn ? a.receivedOn < b.receivedOn
            : a.paymentID.utf8Precedes(b.paymentID)
    }

    // MARK: - Tie-out

    private func tieOut(_ partner: Partner, _ agreement: Agreement, issued: IssuedStatement?,
                        _ context: Context) throws -> AuditReport.TieOut {
        let currency = partner.currency
        let money = { (minor: Int64) in Money.format(minor: minor, currency: currency) }
        let receivable = Account.receivable(partner.id)
        let previousEnd = period.previous?.lastDay
        let openingLedger = try previousEnd.map { try reader.balance(of: receivable, currency: currency, asOf: $0) } ?? 0
        let ledgerClosing = try reader.balance(of: receivable, currency: currency, asOf: period.lastDay)
        let openingLedgerText = previousEnd.map { "ledger \(receivable) on \($0) = \(money(openingLedger))" } ?? "no earlier period"

        let current = try reader.currentUsageReport(partnerID: partner.id, period: period)
        let currentReport = try current.flatMap { try reader.usageReport(id: $0.reportID) }
        let currentShare = try ReportShare.of(reportID: currentReport?.id, agreement: agreement, currency: currency, reader)
        let reportedShare = try currentReport.flatMap { report -> Int64? in
            let facts = try reader.reportFacts(reportID: report.id)
            guard facts.rowsWithReportedShare > 0 else { return nil }
            return ExactAmount(micros: facts.reportedShareMicros).roundedMinor(currency)
        }
        var checks: [AuditReport.TieOut.Check] = []

        // The statement: as issued for a closed period, else the draft of today's data.
        let statement: Statement
        let status: Statement.Status
        let documentNote: String
        if let issued {
            statement = try StatementDocument.parse(issued.document)
            status = .final
            let hashHolds = EntryHash.sha256Hex(Array(issued.document.utf8)) == issued.documentSHA256
            checks.append(.init(description: "statement \(issued.statementID) document matches its SHA-256 \(issued.documentSHA256)", holds: hashHolds))
            documentNote = "statement \(issued.statementID) document sha256 \(issued.documentSHA256)"
        } else {
            statement = try StatementBuilder.compute(partner, period, status: .draft, reader).statement
            status = .draft
            documentNote = "draft statement \(statement.statementID) (period open)"
            if try reader.isClosed(period) {
                checks.append(.init(description: "\(period) is closed but no statement was issued to \(partner.id)", holds: false))
            }
        }

        // The report the statement's share came from: the one the close recorded, else the current one.
        let history = try reader.periodCharges(partnerID: partner.id, forPeriod: period)
        let ownCharge = history.first { $0.postedPeriod == period }
        let usedReport: UsageReportRecord?
        if issued != nil, let ownCharge {
            usedReport = try ownCharge.usageReportID.flatMap { try reader.usageReport(id: $0) }
        } else {
            usedReport = currentReport
        }
        let usage = usedReport.map(context.usage)
        let restated = currentReport.flatMap { $0.id == usedReport?.id ? nil : context.usage($0) }
        let basis = usage.map { "computed from \($0.source) under \(agreement.id)" } ?? "no usage reported; \(agreement.id) in force"

        // Figures: a final statement's as stored beside its document, a draft's as computed.
        let openingMinor = issued?.openingBalanceMinor ?? statement.openingBalanceMinor
        let shareMinor = issued?.shareMinor ?? statement.shareMinor
        let trueUpMinor = issued?.minimumTrueUpMinor ?? statement.minimumTrueUpMinor
        let chargesMinor = issued?.chargesMinor ?? statement.chargesMinor
        let paymentsMinor = issued?.paymentsMinor ?? statement.paymentsMinor
        let closingMinor = issued?.closingBalanceMinor ?? statement.closingBalanceMinor

        let opening = AuditFigure(amountMinor: openingMinor, source: issued != nil
            ? "statement \(statement.statementID); \(openingLedgerText)" : openingLedgerText)
        checks.append(.init(description: "opening balance \(money(openingMinor)) = \(openingLedgerText)", holds: openingMinor == openingLedger))

        let share = AuditFigure(amountMinor: shareMinor, source: try chargeSource(
            key: .share(partner: partner.id, period: period), amount: shareMinor, final: issued != nil, detail: basis,
            receivable: receivable, &checks))
        let trueUpDetail: String
        if let minimum = agreement.minimumMonthlyMinor {
            trueUpDetail = trueUpMinor > 0
                ? "minimum_monthly \(money(minimum)) − share \(money(shareMinor)) under \(agreement.id)"
                : "share \(money(shareMinor)) ≥ minimum_monthly \(money(minimum)) under \(agreement.id)"
        } else {
            trueUpDetail = "\(agreement.id) has no minimum guarantee"
        }
        let trueUp = AuditFigure(amountMinor: trueUpMinor, source: try chargeSource(
            key: .minimumTrueUp(partner: partner.id, period: period), amount: trueUpMinor, final: issued != nil,
            detail: trueUpDetail, receivable: receivable, &checks))

        let postedHere = try reader.periodCharges(postedIn: period).filter { $0.partnerID == partner.id && $0.forPeriod < period }
        let adjustments = try statement.adjustments.map { adjustment -> AuditReport.TieOut.Adjustment in
            let charge = issued != nil ? postedHere.first { $0.forPeriod == adjustment.period } : nil
            let recomputed = charge.map { $0.shareMinor + $0.minimumTrueUpMinor }
            var detail = "\(adjustment.period) recomputed"
            if let charge {
                detail += try charge.usageReportID.map { " from usage_report \($0) (\(context.fileName(try reportFile($0))))" } ?? " with no usage"
                detail += " = \(money(recomputed!)), charged before \(money(recomputed! - charge.chargedMinor))"
            } else {
                detail += " from the current report; billed when \(period) closes"
            }
            return .init(period: adjustment.period, figure: AuditFigure(amountMinor: adjustment.amountMinor, source: try chargeSource(
                key: .adjustment(partner: partner.id, period: adjustment.period, billedIn: period), amount: adjustment.amountMinor,
                final: issued != nil, detail: detail, receivable: receivable, &checks)))
        }

        let charges = AuditFigure(amountMinor: chargesMinor, source: issued != nil
            ? "statement \(statement.statementID): share + true-up + adjustments"
            : "draft: share + true-up + pending adjustments")
        let adjustmentsTotal = adjustments.reduce(Int64(0)) { $0 + $1.figure.amountMinor }
        checks.append(.init(description: "charges \(money(chargesMinor)) = share \(money(shareMinor)) + true-up \(money(trueUpMinor)) + adjustments \(money(adjustmentsTotal))",
                            holds: chargesMinor == shareMinor + trueUpMinor + adjustmentsTotal))

        let payments = try statement.payments.map { payment -> AuditReport.TieOut.Payment in
            let record = try reader.payment(id: payment.paymentID)
            let entrySequence = context.provenance[ExactText(payment.paymentID)]?.entrySequence
            let paymentKey = LedgerKey.payment(id: payment.paymentID)
            var source = entrySequence.map { "ledger entry \($0) (\(paymentKey))" } ?? "no ledger entry found"
            if let record {
                source += "; \(record.fileName) line \(record.line)"
                source += context.provenance[ExactText(payment.paymentID)].map { " (import_file \($0.importFileID))" } ?? ""
            }
            if let entrySequence, let entry = try reader.entry(idempotencyKey: paymentKey.description) {
                let credited = -entry.postings.filter { $0.account == receivable.name }.reduce(Int64(0)) { $0 + $1.amountMinor }
                checks.append(.init(description: "payment \(payment.paymentID) \(money(payment.amountMinor)) = ledger entry \(entrySequence) credit to \(receivable)",
                                    holds: credited == payment.amountMinor))
            }
            return .init(paymentID: payment.paymentID, receivedOn: payment.receivedOn, postedOn: record?.postedOn,
                         reference: record?.reference, figure: AuditFigure(amountMinor: payment.amountMinor, source: source))
        }
        let paymentsTotal = payments.reduce(Int64(0)) { $0 + $1.figure.amountMinor }
        checks.append(.init(description: "payments \(money(paymentsMinor)) = Σ payments posted in \(period) \(money(paymentsTotal))",
                            holds: paymentsMinor == paymentsTotal))

        let closingSource: String
        if issued != nil {
            closingSource = "\(documentNote); ledger \(receivable) on \(period.lastDay) = \(money(ledgerClosing))"
            checks.append(.init(description: "closing balance \(money(closingMinor)) = ledger \(receivable) on \(period.lastDay) \(money(ledgerClosing))",
                                holds: closingMinor == ledgerClosing))
        } else {
            closingSource = "\(documentNote): opening + charges − payments; ledger \(receivable) on \(period.lastDay) = \(money(ledgerClosing)) until the close posts the charges"
        }
        checks.append(.init(description: "closing balance \(money(closingMinor)) = opening \(money(openingMinor)) + charges \(money(chargesMinor)) − payments \(money(paymentsMinor))",
                            holds: closingMinor == openingMinor + chargesMinor - paymentsMinor))

        // Corrections of this period billed later, and one still to bill.
        let later = try history.filter { $0.postedPeriod > period }.compactMap { charge -> AuditReport.TieOut.LaterAdjustment? in
            guard charge.chargedMinor != 0 else { return nil }
            let key = LedgerKey.adjustment(partner: partner.id, period: period, billedIn: charge.postedPeriod)
            let entry = try reader.entry(idempotencyKey: key.description)
            let from = charge.usageReportID.map { "usage_report \($0)" } ?? "no usage"
            return .init(postedIn: charge.postedPeriod, figure: AuditFigure(
                amountMinor: charge.chargedMinor,
                source: (entry.map { "ledger entry \($0.sequence) (\(key))" } ?? "no ledger entry (\(key))")
                    + "; \(period) recomputed from \(from) = \(money(charge.shareMinor + charge.minimumTrueUpMinor))"))
        }
        var pending: AuditFigure?
        if issued != nil, let due = try PriorPeriodAdjustment.due(partner, for: period, reader), due.amountMinor != 0 {
            pending = AuditFigure(amountMinor: due.amountMinor, source: "restated since charged: \(restated?.source ?? "no current report") gives share + true-up \(money(due.recomputed.shareAndTrueUpMinor)), charged so far \(money(due.chargedSoFarMinor)); billed at the next close")
        }

        return AuditReport.TieOut(
            partnerID: partner.id, partnerName: partner.name, currency: currency, agreementID: statement.agreementID,
            statementID: statement.statementID, status: status, dueDate: issued?.dueDate ?? statement.dueDate,
            usage: usage, restatedUsage: restated, reportedShareMinor: reportedShare,
            currentShareMinor: currentShare.shareMinor, opening: opening, share: share, minimumTrueUp: trueUp,
            adjustments: adjustments, charges: charges, payments: payments, paymentsTotalMinor: paymentsMinor,
            closing: AuditFigure(amountMinor: closingMinor, source: closingSource), ledgerClosingMinor: ledgerClosing,
            laterAdjustments: later, pendingAdjustment: pending, checks: checks)
    }

    private func reportFile(_ reportID: Int64) throws -> Int64 {
        try reader.usageReport(id: reportID)?.importFileID ?? -1
    }

    /// Where a charge figure comes from; for a final statement, checks that the ledger entry
    /// with `key` posts `amount` to the receivable (or that none exists for zero).
    private func chargeSource(key: LedgerKey, amount: Int64, final: Bool, detail: String, receivable: Account,
                              _ checks: inout [AuditReport.TieOut.Check]) throws -> String {
        guard final else { return "draft: \(detail); not posted while the period is open" }
        guard let entry = try reader.entry(idempotencyKey: key.description) else {
            checks.append(.init(description: "no ledger entry \(key) for an amount of \(amount) minor units", holds: amount == 0))
            return "no ledger entry (an amount of zero posts none); \(detail)"
        }
        let posted = entry.postings.filter { $0.account == receivable.name }.reduce(Int64(0)) { $0 + $1.amountMinor }
        checks.append(.init(description: "ledger entry \(entry.sequence) (\(key)) posts \(posted) minor units to \(receivable), the statement \(amount)",
                            holds: posted == amount))
        return "ledger entry \(entry.sequence) (\(key)); \(detail)"
    }

    // MARK: - Payment application

    private func paymentApplication(_ partner: Partner, _ issued: IssuedStatement,
                                    _ context: Context) throws -> AuditReport.PaymentApplicationForPeriod {
        let (application, records) = try PaymentApplication.recorded(partnerID: partner.id, asOf: asOf, reader)
        let byID = Dictionary(records.map { (ExactText($0.paymentID), $0) }, uniquingKeysWith: { first, _ in first })
        let status = application.status(of: period)
        let allocations = application.allocations.compactMap { allocation -> AuditReport.PaymentApplicationForPeriod.Allocation? in
            let here = allocation.allocated.filter { $0.period == period }.reduce(Int64(0)) { $0 + $1.amountMinor }
            guard here > 0 else { return nil }
            let id = allocation.payment.paymentID
            var source = byID[ExactText(id)].map { "\($0.fileName) line \($0.line)" } ?? "payment \(id)"
            if let provenance = context.provenance[ExactText(id)] { source += "; ledger entry \(provenance.entrySequence) (payment:\(id))" }
            return .init(payment: allocation.payment, amountMinor: here,
                         elsewhere: allocation.allocated.filter { $0.period != period },
                         unappliedMinor: allocation.unappliedMinor, source: source)
        }
        let completed = status?.completedBy
        let daysLate = completed.flatMap { $0.receivedOn > issued.dueDate ? issued.dueDate.days(until: $0.receivedOn) : nil }
        return .init(partnerID: partner.id, currency: partner.currency, dueDate: issued.dueDate,
                     chargesMinor: issued.chargesMinor, appliedMinor: status?.appliedMinor ?? 0,
                     outstandingMinor: status?.openMinor ?? max(0, issued.chargesMinor),
                     completedBy: completed, daysLate: daysLate, allocations: allocations,
                     unappliedCreditMinor: application.unappliedCreditMinor)
    }

    // MARK: - Discrepancies

    /// Found by the latest run first; then critical first, kind, partner, model, payment (nulls first).
    static func precedes(_ lhs: DiscrepancyRecord, _ rhs: DiscrepancyRecord) -> Bool {
        if lhs.foundByLatestRun != rhs.foundByLatestRun { return lhs.foundByLatestRun }
        return DiscrepancyOrder.precedes(lhs.discrepancy.orderFacts, rhs.discrepancy.orderFacts)
    }
}
