import RevShareCore
import RevShareStore

/// Money stored as minor units of a currency code; codes the ISO table lacks (only possible
/// in a database edited by hand) show as raw minor units so nothing is hidden.
func formatMinor(_ minor: Int64, code: String) -> String {
    guard let currency = Currency(code: code) else { return "\(minor) (minor units)" }
    return Money.format(minor: minor, currency: currency)
}

public enum BalanceRenderer {
    public static func json(_ balances: [AccountBalance], asOf: CivilDate) -> String {
        JSONValue.object([
            ("as_of", .string(asOf.description)),
            ("accounts", .array(balances.map { balance in
                .object([
                    ("account", .string(balance.account)),
                    ("currency", .string(balance.currency)),
                    ("balance", .string(formatMinor(balance.balanceMinor, code: balance.currency))),
                ])
            })),
        ]).serialized()
    }

    public static func text(_ balances: [AccountBalance], asOf: CivilDate) -> String {
        var table = TextTable([("account", .left), ("currency", .left), ("balance", .right)])
        for balance in balances {
            table.add([balance.account, balance.currency, formatMinor(balance.balanceMinor, code: balance.currency)])
        }
        var out = "Trial balance as of \(asOf) (debit positive, credit negative)\n\n"
        out += balances.isEmpty ? "  (no postings)\n" : table.rendered(indent: "  ")
        out += "\n"
        var totals: [String: Int128] = [:]
        for balance in balances { totals[balance.currency, default: 0] += Int128(balance.balanceMinor) }
        for (currency, total) in totals.sorted(by: { $0.key < $1.key }) {
            out += "  total \(currency): \(total == 0 ? "0 (balanced)" : "\(total) minor units: NOT BALANCED")\n"
        }
        return out
    }
}

/// The journal in hledger/ledger-cli syntax: what `journal` prints and `export hledger` writes.
/// The transaction code is the chain sequence; kind, key and hash ride along as tags.
public enum JournalRenderer {
    public static func hledger(_ entries: [StoredEntry]) -> String {
        var out = ""
        for entry in entries {
            out += "\(entry.date) (\(entry.sequence)) \(singleLine(entry.description))"
            out += "  ; kind:\(entry.kind), key:\(singleLine(entry.idempotencyKey)), hash:\(entry.hash)\n"
            let width = entry.postings.map(\.account.count).max() ?? 0
            for posting in entry.postings {
                let pad = String(repeating: " ", count: width - posting.account.count + 2)
                out += "    \(singleLine(posting.account))\(pad)\(formatMinor(posting.amountMinor, code: posting.currency)) \(singleLine(posting.currency))\n"
            }
            out += "\n"
        }
        return out
    }

    public static func json(_ entries: [StoredEntry]) -> String {
        JSONValue.object([("entries", .array(entries.map { entry in
            .object([
                ("seq", .integer(entry.sequence)),
                ("date", .string(entry.date)),
                ("kind", .string(entry.kind)),
                ("description", .string(entry.description)),
                ("idempotency_key", .string(entry.idempotencyKey)),
                ("recorded_at", .string(entry.recordedAt)),
                ("prev_hash", .string(entry.previousHash)),
                ("hash", .string(entry.hash)),
                ("postings", .array(entry.postings.map { posting in
                    .object([
                        ("account", .string(posting.account)),
                        ("currency", .string(posting.currency)),
                        ("amount", .string(formatMinor(posting.amountMinor, code: posting.currency))),
                    ])
                })),
            ])
        }))]).serialized()
    }

    /// hledger ends a description at any line break and starts a comment at `;`: every line
    /// terminator (CR LF, lone CR, VT, FF, U+0085, U+2028, U+2029) and every other control or
    /// format character is written as a visible escape, so no text in the books can add a
    /// transaction or a directive of its own to the journal.
    private static func singleLine(_ text: String) -> String {
        TerminalText.escaped(text).replacingOccurrences(of: ";", with: " ")
    }
}

public enum VerifyRenderer {
    public static func text(_ report: VerificationReport) -> String {
        let head = report.head.map { "chain head #\($0.sequence) \($0.hash)" } ?? "empty chain"
        let inputHead = report.inputs.head.map { "input chain head #\($0.sequence) \($0.hash)" } ?? "empty input chain"
        let checked = "\(report.entriesChecked) entries and \(report.inputs.linksChecked) inputs"
        guard !report.passed else {
            return "verify: OK: \(checked) checked, every invariant holds; \(head); \(inputHead)\n"
        }
        var out = "verify: FAILED: \(report.problemCount) problem(s) in \(checked); \(head); \(inputHead)\n"
        for problem in report.problems { out += "  \(problem)\n" }
        if report.problemCount > report.problems.count {
            out += "  … and \(report.problemCount - report.problems.count) more problems\n"
        }
        return out
    }

    public static func json(_ report: VerificationReport) -> String {
        JSONValue.object([
            ("ok", .bool(report.passed)),
            ("entries_checked", .integer(Int64(report.entriesChecked))),
            ("head", head(report.head)),
            ("inputs_checked", .integer(Int64(report.inputs.linksChecked))),
            ("input_head", head(report.inputs.head)),
            ("problem_count", .integer(Int64(report.problemCount))),
            ("problems", .array(report.problems.map {
                .object([("subject", .string($0.subject)), ("message", .string($0.message))])
            })),
        ]).serialized()
    }

    private static func head(_ head: ChainHead?) -> JSONValue {
        head.map { .object([("seq", .integer($0.sequence)), ("hash", .string($0.hash))]) } ?? .null
    }
}
