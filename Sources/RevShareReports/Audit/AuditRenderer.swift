import RevShareCore
import RevShareDomain
import RevShareReconcile
import RevShareStore

/// The audit report as text (sections, aligned columns), JSON (stable field names, money as
/// strings with the currency's minor digits) and CSV (the tie-out table, one row per figure).
public enum AuditRenderer {
    // MARK: - JSON

    public static func json(_ report: AuditReport) -> String {
        JSONValue.object([
            ("period", .string(report.period.description)),
            ("as_of", .string(report.asOf.description)),
            ("period_status", .string(report.periodClosed ? "closed" : "open")),
            ("reconcile_run", report.reconcileRun.map { run in
                .object([("id", .integer(run.id)), ("as_of", .string(run.asOf.description)), ("ran_at", .string(run.ranAt))])
            } ?? .null),
            ("ties", .bool(report.ties)),
            ("verify", .object([
                ("ok", .bool(report.verification.passed)),
                ("entries_checked", .integer(Int64(report.verification.entriesChecked))),
                ("problem_count", .integer(Int64(report.verification.problemCount))),
                ("problems", .array(report.verification.problems.map {
                    .object([("subject", .string($0.subject)), ("message", .string($0.message))])
                })),
            ])),
            ("chain_head", report.chainHead.map {
                .object([("seq", .integer($0.sequence)), ("hash", .string($0.hash))])
            } ?? .null),
            ("input_chain_head", report.verification.inputs.head.map {
                .object([("seq", .integer($0.sequence)), ("hash", .string($0.hash))])
            } ?? .null),
            ("files", .array(report.files.map(fileJSON))),
            ("agreements", .array(report.agreements.map(agreementJSON))),
            ("agreement_loads", .array(report.agreementLoads.map { load in
                .object([("id", .integer(load.id)), ("file", .string(load.fileName)), ("sha256", .string(load.sha256)),
                         ("loaded_at", .string(load.loadedAt)), ("changed", .bool(load.changed))])
            })),
            ("tie_out", .array(report.tieOuts.map(tieOutJSON))),
            ("payment_application", .array(report.paymentApplication.map(applicationJSON))),
            ("discrepancies", .array(report.discrepancies.map(discrepancyJSON))),
            ("summary", summaryJSON(report)),
        ]).serialized()
    }

    private static func fileJSON(_ file: AuditReport.InputFile) -> JSONValue {
        .object([
            ("id", .integer(file.file.id)),
            ("kind", .string(file.file.kind.rawValue)),
            ("file", .string(file.file.fileName)),
            ("sha256", .string(file.file.sha256)),
            ("rows", .integer(file.file.rowCount)),
            ("imported_at", .string(file.file.importedAt)),
            ("restate", .bool(file.file.restate)),
            ("usage_reports", .array(file.usageReports.map { report in
                let r = report.record
                return .object([
                    ("report_id", .integer(r.id)), ("partner", .string(r.partnerID)), ("period", .string(r.period.description)),
                    ("rows", .integer(r.rowCount)), ("requests", .integer(r.requests)),
                    ("input_tokens", .integer(r.inputTokens)), ("output_tokens", .integer(r.outputTokens)),
                    ("gross_revenue", .string(ScaledDecimal.format(r.grossRevenueMicros, scale: 6))),
                    ("replaces_report_id", r.replacesReportID.map(JSONValue.integer) ?? .null),
                    ("replaced_by_report_id", report.replacedByReportID.map(JSONValue.integer) ?? .null),
                    ("current", .bool(report.isCurrent)),
                ])
            })),
            ("meter_reports", .array(file.meterReports.map { report in
                let r = report.record
                return .object([
                    ("report_id", .integer(r.id)), ("partner", .string(r.partnerID)), ("period", .string(r.period.description)),
                    ("rows", .integer(r.rowCount)), ("input_tokens", .integer(r.inputTokens)),
                    ("output_tokens", .integer(r.outputTokens)), ("current", .bool(report.isCurrent)),
                ])
            })),
            ("payments", .array(file.paymentIDs.map(JSONValue.string))),
        ])
    }

    private static func agreementJSON(_ item: AuditReport.AgreementInForce) -> JSONValue {
        let a = item.agreement
        let price = { (p: TokenPrice) in JSONValue.object([("input", .string(decimal(p.inputMicros))), ("output", .string(decimal(p.outputMicros)))]) }
        let priceList = { (prices: [ExactText: TokenPrice]) in
            JSONValue.array(prices.sorted { $0.key < $1.key }.map {
                .object([("model", .string($0.key.string)), ("input", .string(decimal($0.value.inputMicros))),
                         ("output", .string(decimal($0.value.outputMicros)))])
            })
        }
        return .object([
            ("partner", .string(item.partner.id)),
            ("partner_name", .string(item.partner.name)),
            ("currency", .string(item.partner.currency.code)),
            ("payment_terms_days", .integer(Int64(item.partner.paymentTermsDays))),
            ("agreement_id", .string(a.id)),
            ("basis", .string(a.basis.rawValue)),
            ("effective_from", .string(a.effectiveFrom.description)),
            ("governs_through", item.governedThrough.map { .string($0.description) } ?? .null),
            ("tiers", .array(a.tiers.map { tier in
                .object([("up_to", tier.upToMicros.map { .string(decimal($0)) } ?? .null), ("rate", .string(decimal(tier.rateMicros)))])
            })),
            ("prices", priceList(a.prices)),
            ("default_price", a.defaultPrice.map(price) ?? .null),
            ("minimum_monthly", a.minimumMonthlyMinor.map { .string(Money.format(minor: $0, currency: item.partner.currency)) } ?? .null),
            ("tolerance", .object([
                ("amount", .string(decimal(a.tolerance.amountMicros))),
                ("relative", .string(decimal(a.tolerance.relativeMicros))),
                ("price_relative", .string(decimal(a.tolerance.priceRelativeMicros))),
            ])),
            ("list_prices", priceList(a.listPrices)),
        ])
    }

    private static func usageJSON(_ usage: AuditReport.TieOut.Usage?) -> JSONValue {
        guard let usage else { return .null }
        let r = usage.report
        return .object([
            ("report_id", .integer(r.id)), ("file", .string(usage.fileName)), ("sha256", .string(usage.fileSHA256)),
            ("rows", .integer(r.rowCount)), ("requests", .integer(r.requests)),
            ("input_tokens", .integer(r.inputTokens)), ("output_tokens", .integer(r.outputTokens)),
            ("gross_revenue", .string(ScaledDecimal.format(r.grossRevenueMicros, scale: 6))),
            ("source", .string(usage.source)),
        ])
    }

    private static func tieOutJSON(_ t: AuditReport.TieOut) -> JSONValue {
        let money = { (minor: Int64) in JSONValue.string(Money.format(minor: minor, currency: t.currency)) }
        let figure = { (f: AuditFigure) in JSONValue.object([("amount", money(f.amountMinor)), ("source", .string(f.source))]) }
        return .object([
            ("partner", .string(t.partnerID)),
            ("partner_name", .string(t.partnerName)),
            ("currency", .string(t.currency.code)),
            ("agreement_id", .string(t.agreementID)),
            ("statement_id", .string(t.statementID)),
            ("status", .string(t.status.rawValue)),
            ("due_date", .string(t.dueDate.description)),
            ("usage", usageJSON(t.usage)),
            ("restated_usage", usageJSON(t.restatedUsage)),
            ("reported_share", t.reportedShareMinor.map(money) ?? .null),
            ("current_share", money(t.currentShareMinor)),
            ("opening_balance", figure(t.opening)),
            ("share", figure(t.share)),
            ("minimum_true_up", figure(t.minimumTrueUp)),
            ("adjustments", .array(t.adjustments.map {
                .object([("period", .string($0.period.description)), ("amount", money($0.figure.amountMinor)),
                         ("source", .string($0.figure.source))])
            })),
            ("adjustments_total", money(t.adjustmentsTotalMinor)),
            ("charges", figure(t.charges)),
            ("payments", .array(t.payments.map { p in
                .object([("payment_id", .string(p.paymentID)), ("received_on", .string(p.receivedOn.description)),
                         ("posted_on", p.postedOn.map { .string($0.description) } ?? .null),
                         ("reference", p.reference.map { .string($0.description) } ?? .null),
                         ("amount", money(p.figure.amountMinor)), ("source", .string(p.figure.source))])
            })),
            ("payments_total", money(t.paymentsTotalMinor)),
            ("closing_balance", figure(t.closing)),
            ("ledger_closing_balance", money(t.ledgerClosingMinor)),
            ("later_adjustments", .array(t.laterAdjustments.map {
                .object([("posted_in", .string($0.postedIn.description)), ("amount", money($0.figure.amountMinor)),
                         ("source", .string($0.figure.source))])
            })),
            ("pending_adjustment", t.pendingAdjustment.map(figure) ?? .null),
            ("checks", .array(t.checks.map { .object([("check", .string($0.description)), ("holds", .bool($0.holds))]) })),
            ("ties", .bool(t.ties)),
        ])
    }

    private static func applicationJSON(_ a: AuditReport.PaymentApplicationForPeriod) -> JSONValue {
        let money = { (minor: Int64) in JSONValue.string(Money.format(minor: minor, currency: a.currency)) }
        return .object([
            ("partner", .string(a.partnerID)),
            ("currency", .string(a.currency.code)),
            ("due_date", .string(a.dueDate.description)),
            ("charges", money(a.chargesMinor)),
            ("applied", money(a.appliedMinor)),
            ("outstanding", money(a.outstandingMinor)),
            ("completed_by", a.completedBy.map {
                .object([("payment_id", .string($0.paymentID)), ("received_on", .string($0.receivedOn.description))])
            } ?? .null),
            ("days_late", a.daysLate.map { .integer(Int64($0)) } ?? .null),
            ("allocations", .array(a.allocations.map { allocation in
                .object([
                    ("payment_id", .string(allocation.payment.paymentID)),
                    ("received_on", .string(allocation.payment.receivedOn.description)),
                    ("reference", allocation.payment.reference.map { .string($0.description) } ?? .null),
                    ("amount", money(allocation.payment.amountMinor)),
                    ("applied_to_period", money(allocation.amountMinor)),
                    ("applied_elsewhere", .array(allocation.elsewhere.map {
                        .object([("period", .string($0.period.description)), ("amount", money($0.amountMinor))])
                    })),
                    ("unapplied", money(allocation.unappliedMinor)),
                    ("source", .string(allocation.source)),
                ])
            })),
            ("unapplied_credit", money(a.unappliedCreditMinor)),
        ])
    }

    private static func discrepancyJSON(_ record: DiscrepancyRecord) -> JSONValue {
        let d = record.discrepancy
        let figure = { (text: String?) -> JSONValue in
            guard let text else { return .null }
            if d.kind.hasCountFigures, let value = Int64(text) { return .integer(value) }
            return .string(text)
        }
        return .object([
            ("id", .string(d.id)), ("kind", .string(d.kind.rawValue)), ("severity", .string(d.severity.rawValue)),
            ("partner", .optional(d.partnerID)), ("period", .string(d.period.description)),
            ("model", .optional(d.model)), ("payment_id", .optional(d.paymentID)),
            ("expected", figure(d.expected)), ("actual", figure(d.actual)), ("difference", figure(d.difference)),
            ("message", .string(d.message)),
            ("status", .string(record.isResolved ? "resolved" : "open")),
            ("latest_run", .string(record.foundByLatestRun ? "found" : "gone")),
            ("first_seen_at", .string(record.firstSeenAt)),
            ("last_seen_at", .string(record.lastSeenAt)),
            ("resolutions", .array(record.resolutions.map {
                .object([("note", .string($0.note)), ("resolved_at", .string($0.resolvedAt))])
            })),
        ])
    }

    private static func summaryJSON(_ report: AuditReport) -> JSONValue {
        let found = report.discrepancies.filter(\.foundByLatestRun)
        let open = found.filter { !$0.isResolved }
        return .object([
            ("partners", .integer(Int64(report.tieOuts.count))),
            ("tie_outs_holding", .integer(Int64(report.tieOuts.filter(\.ties).count))),
            ("files", .integer(Int64(report.files.count))),
            ("discrepancies_open", .object([
                ("critical", .integer(Int64(open.filter { $0.discrepancy.severity == .critical }.count))),
                ("warning", .integer(Int64(open.filter { $0.discrepancy.severity == .warning }.count))),
            ])),
            ("discrepancies_resolved", .integer(Int64(found.filter(\.isResolved).count))),
            ("discrepancies_gone", .integer(Int64(report.discrepancies.count - found.count))),
        ])
    }

    /// micro-units as a plain decimal without trailing zeros: 100000 → `0.1`, 150000000000 → `150000`.
    static func decimal(_ micros: Int64) -> String {
        var text = ScaledDecimal.format(micros, scale: 6)
        while text.last == "0" { text.removeLast() }
        if text.last == "." { text.removeLast() }
        return text
    }

    // MARK: - CSV

    /// The tie-out, one row per figure, in the order usage → share → … → closing balance.
    public static func csv(_ report: AuditReport) -> String {
        var out = CSVText.row(["period", "partner", "currency", "statement_id", "status", "step", "item", "amount", "source"])
        for t in report.tieOuts {
            let money = { (minor: Int64) in Money.format(minor: minor, currency: t.currency) }
            func row(_ step: String, _ item: String, _ amount: String, _ source: String) {
                out += CSVText.row([.text(report.period.description), .text(t.partnerID), .text(t.currency.code),
                                    .text(t.statementID), .text(t.status.rawValue), .text(step), .text(item),
                                    .number(amount), .text(source)])
            }
            if let usage = t.usage {
                row("usage", usageItem(usage), ScaledDecimal.format(usage.report.grossRevenueMicros, scale: 6), usage.source)
            } else {
                row("usage", "no usage report", "", "")
            }
            row("opening_balance", "", money(t.opening.amountMinor), t.opening.source)
            row("share", t.agreementID, money(t.share.amountMinor), t.share.source)
            row("minimum_true_up", t.agreementID, money(t.minimumTrueUp.amountMinor), t.minimumTrueUp.source)
            for adjustment in t.adjustments {
                row("adjustment", adjustment.period.description, money(adjustment.figure.amountMinor), adjustment.figure.source)
            }
            row("charges", "", money(t.charges.amountMinor), t.charges.source)
            for payment in t.payments {
                row("payment", payment.paymentID, money(payment.figure.amountMinor), payment.figure.source)
            }
            row("payments_total", "", money(t.paymentsTotalMinor), "Σ payments posted in \(report.period)")
            row("closing_balance", "", money(t.closing.amountMinor), t.closing.source)
            row("ledger_closing_balance", "assets:receivable:\(t.partnerID)", money(t.ledgerClosingMinor),
                "ledger balance on \(report.period.lastDay)")
            for later in t.laterAdjustments {
                row("later_adjustment", later.postedIn.description, money(later.figure.amountMinor), later.figure.source)
            }
            if let pending = t.pendingAdjustment {
                row("pending_adjustment", "", money(pending.amountMinor), pending.source)
            }
            row("ties", t.ties ? "yes" : "NO", "", t.checks.filter { !$0.holds }.map(\.description).joined(separator: "; "))
        }
        return out
    }

    static func usageItem(_ usage: AuditReport.TieOut.Usage) -> String {
        let r = usage.report
        return "usage_report \(r.id): \(r.rowCount) rows, \(r.requests) requests, \(r.inputTokens) input and \(r.outputTokens) output tokens"
    }

    // MARK: - Text

    public static func text(_ report: AuditReport) -> String {
        var out = "AUDIT REPORT \(report.period) as of \(report.asOf)\n"
        var header = TextTable([("", .left), ("", .left)])
        header.add(["period", "\(report.period) (\(report.periodClosed ? "closed: statements final" : "open: statements are drafts"))"])
        if let run = report.reconcileRun {
            header.add(["reconciled", "run \(run.id) at \(run.ranAt), as of \(run.asOf)"])
        }
        header.add(["verify", verifyLine(report.verification)])
        header.add(["chain head", report.chainHead.map { "#\($0.sequence) \($0.hash)" } ?? "empty chain"])
        header.add(["input chain head", report.verification.inputs.head.map { "#\($0.sequence) \($0.hash)" } ?? "empty input chain"])
        header.add(["tie-out", report.ties ? "every partner ties out" : "DOES NOT TIE: see the checks marked FAIL below"])
        out += bodyRows(header)

        out += section(1, "INPUT FILES")
        if report.files.isEmpty { out += "  (no files hold data for \(report.period))\n" }
        for file in report.files {
            let f = file.file
            out += "  import_file \(f.id)  \(f.kind.rawValue)  \(TerminalText.escaped(f.fileName))\(f.restate ? "  (--restate)" : "")\n"
            out += "    sha256 \(f.sha256)\n"
            out += "    \(f.rowCount) rows, imported \(f.importedAt)\n"
            for report in file.usageReports {
                let r = report.record
                var line = "    usage_report \(r.id): \(r.partnerID) \(r.period), \(r.rowCount) rows, gross revenue \(ScaledDecimal.format(r.grossRevenueMicros, scale: 6))"
                if let replaced = r.replacesReportID { line += "; restates usage_report \(replaced)" }
                line += report.replacedByReportID.map { "; replaced by usage_report \($0)" } ?? "; current"
                out += line + "\n"
            }
            for report in file.meterReports {
                let r = report.record
                out += "    meter_report \(r.id): \(r.partnerID) \(r.period), \(r.rowCount) rows, \(r.inputTokens) input and \(r.outputTokens) output tokens; \(report.isCurrent ? "current" : "superseded")\n"
            }
            if !file.paymentIDs.isEmpty {
                out += "    payments for \(report.period): \(file.paymentIDs.map(TerminalText.escaped).joined(separator: ", "))\n"
            }
        }

        out += section(2, "AGREEMENTS IN FORCE")
        var agreements = TextTable([("partner", .left), ("currency", .left), ("terms", .right), ("agreement", .left),
                                    ("basis", .left), ("governs", .left), ("minimum", .right), ("terms of the share", .left)])
        for item in report.agreements {
            let a = item.agreement
            agreements.add([item.partner.id, item.partner.currency.code, "\(item.partner.paymentTermsDays)d", a.id, a.basis.rawValue,
                            "\(a.effectiveFrom)…\(item.governedThrough?.description ?? "")",
                            a.minimumMonthlyMinor.map { Money.format(minor: $0, currency: item.partner.currency) } ?? "-",
                            shareTerms(a)])
        }
        out += agreements.rendered(indent: "  ")
        out += "\n  agreement loads (all):\n"
        var loads = TextTable([("id", .right), ("loaded at", .left), ("changed", .left), ("file", .left), ("sha256", .left)])
        for load in report.agreementLoads {
            loads.add([String(load.id), load.loadedAt, load.changed ? "yes" : "no", TerminalText.escaped(load.fileName), load.sha256])
        }
        out += report.agreementLoads.isEmpty ? "  (none recorded)\n" : loads.rendered(indent: "  ")

        out += section(3, "TIE-OUT: usage → share → true-up → adjustments → charges → payments → closing balance")
        for t in report.tieOuts {
            out += tieOutText(t, period: report.period)
        }

        out += section(4, "PAYMENT APPLICATION (payments received up to \(report.asOf))")
        if !report.periodClosed { out += "  \(report.period) is open: nothing is applied to it until it closes\n" }
        for a in report.paymentApplication {
            let money = { (minor: Int64) in Money.format(minor: minor, currency: a.currency) }
            var status = a.outstandingMinor == 0 ? "paid" : "OUTSTANDING \(money(a.outstandingMinor))"
            if let completed = a.completedBy {
                status += " by \(TerminalText.escaped(completed.paymentID)) on \(completed.receivedOn)"
                status += a.daysLate.map { ", \($0) day\($0 == 1 ? "" : "s") late" } ?? ", on time"
            }
            out += "  \(a.partnerID) (\(a.currency.code)): charges \(money(a.chargesMinor)), applied \(money(a.appliedMinor)), due \(a.dueDate): \(status)\n"
            for allocation in a.allocations {
                let p = allocation.payment
                var line = "    \(TerminalText.escaped(p.paymentID)) received \(p.receivedOn) \(money(p.amountMinor))"
                line += p.reference.map { " (reference \($0))" } ?? ""
                line += ": \(money(allocation.amountMinor)) to \(report.period)"
                for other in allocation.elsewhere { line += ", \(money(other.amountMinor)) to \(other.period)" }
                if allocation.unappliedMinor > 0 { line += ", \(money(allocation.unappliedMinor)) unapplied" }
                out += line + "  [\(allocation.source)]\n"
            }
            if a.unappliedCreditMinor != 0 { out += "    unapplied credit of \(a.partnerID): \(money(a.unappliedCreditMinor))\n" }
        }

        out += section(5, "DISCREPANCIES")
        if report.discrepancies.isEmpty { out += "  (none stored for \(report.period))\n" }
        for record in report.discrepancies {
            let d = record.discrepancy
            let status = record.isResolved ? "resolved" : "open"
            let presence = record.foundByLatestRun ? "found by the latest run" : "gone: the latest run no longer finds it"
            out += "  \(d.id)  \(d.severity)  \(d.kind)  \(d.partnerID ?? "-")\(d.model.map { " " + TerminalText.escaped($0) } ?? "")\(d.paymentID.map { " " + TerminalText.escaped($0) } ?? "")  [\(status); \(presence)]\n"
            out += "    \(d.message)\n"
            if let expected = d.expected, let actual = d.actual {
                out += "    expected \(expected), actual \(actual), difference \(d.difference ?? "-")\n"
            }
            out += "    first seen \(record.firstSeenAt), last seen \(record.lastSeenAt)\n"
            for resolution in record.resolutions {
                out += "    resolved \(resolution.resolvedAt): \(TerminalText.escaped(resolution.note))\n"
            }
        }

        out += section(6, "LEDGER INTEGRITY")
        out += "  " + verifyLine(report.verification) + "\n"
        out += "  chain head: " + (report.chainHead.map { "sequence \($0.sequence), hash \($0.hash)" } ?? "empty chain") + "\n"
        out += "  input chain head: " + (report.verification.inputs.head.map { "sequence \($0.sequence), hash \($0.hash)" } ?? "empty input chain") + "\n"
        for problem in report.verification.problems { out += "  FAIL \(problem)\n" }
        out += "  A later copy of the database matches this report when `revshare verify` passes on it and its chain\n"
        out += "  contains this head at the same sequence.\n"
        return out
    }

    private static func tieOutText(_ t: AuditReport.TieOut, period: Period) -> String {
        let money = { (minor: Int64) in Money.format(minor: minor, currency: t.currency) }
        var out = "\n  \(t.partnerID) — \(t.partnerName) (\(t.currency.code)), statement \(t.statementID) \(t.status.rawValue), agreement \(t.agreementID), due \(t.dueDate)\n"
        if let usage = t.usage {
            out += "    usage: \(usageItem(usage)), gross revenue \(ScaledDecimal.format(usage.report.grossRevenueMicros, scale: 6)) [\(usage.source)]\n"
        } else {
            out += "    usage: no usage report for \(period)\n"
        }
        if let restated = t.restatedUsage {
            out += "    restated since the close: \(usageItem(restated)), gross revenue \(ScaledDecimal.format(restated.report.grossRevenueMicros, scale: 6)) [\(restated.source)]\n"
        }
        if let reported = t.reportedShareMinor {
            out += "    partner's reported share \(money(reported)); share from the current rows \(money(t.currentShareMinor))\n"
        }
        var table = TextTable([("step", .left), ("amount", .right), ("source", .left)])
        table.add(["opening balance", money(t.opening.amountMinor), t.opening.source])
        table.add(["+ share", money(t.share.amountMinor), t.share.source])
        table.add(["+ minimum true-up", money(t.minimumTrueUp.amountMinor), t.minimumTrueUp.source])
        for adjustment in t.adjustments {
            table.add(["+ adjustment \(adjustment.period)", money(adjustment.figure.amountMinor), adjustment.figure.source])
        }
        table.add(["= charges", money(t.charges.amountMinor), t.charges.source])
        for payment in t.payments {
            table.add(["- payment \(TerminalText.escaped(payment.paymentID))", money(payment.figure.amountMinor), payment.figure.source])
        }
        table.add(["= closing balance", money(t.closing.amountMinor), t.closing.source])
        table.add(["ledger receivable", money(t.ledgerClosingMinor), "assets:receivable:\(t.partnerID) on \(period.lastDay)"])
        for later in t.laterAdjustments {
            table.add(["later adjustment in \(later.postedIn)", money(later.figure.amountMinor), later.figure.source])
        }
        if let pending = t.pendingAdjustment {
            table.add(["pending adjustment", money(pending.amountMinor), pending.source])
        }
        out += table.rendered(indent: "    ")
        for check in t.checks { out += "    \(check.holds ? "ok  " : "FAIL") \(check.description)\n" }
        return out
    }

    static func shareTerms(_ a: Agreement) -> String {
        switch a.basis {
        case .revenuePercent:
            var lower: Int64?
            return a.tiers.map { tier in
                defer { lower = tier.upToMicros }
                if let upTo = tier.upToMicros { return "\(decimal(tier.rateMicros)) up to \(decimal(upTo))" }
                return "\(decimal(tier.rateMicros)) " + (lower.map { "above \(decimal($0))" } ?? "of all revenue")
            }.joined(separator: ", ")
        case .perMillionTokens:
            var parts = a.prices.sorted { $0.key < $1.key }.map {
                "\($0.key.string) \(decimal($0.value.inputMicros))/\(decimal($0.value.outputMicros))"
            }
            if let fallback = a.defaultPrice { parts.append("default \(decimal(fallback.inputMicros))/\(decimal(fallback.outputMicros))") }
            return "per 1M tokens in/out: " + parts.joined(separator: ", ")
        }
    }

    static func verifyLine(_ report: VerificationReport) -> String {
        let checked = "\(report.entriesChecked) entries and \(report.inputs.linksChecked) inputs"
        return report.passed
            ? "OK: \(checked) checked, every invariant holds"
            : "FAILED: \(report.problemCount) problem(s) in \(checked)"
    }

    private static func section(_ number: Int, _ title: String) -> String { "\n\(number). \(title)\n" }

    /// A two-column table without its header lines.
    private static func bodyRows(_ table: TextTable) -> String {
        table.rendered(indent: "  ").split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2)
            .joined(separator: "\n")
    }
}
