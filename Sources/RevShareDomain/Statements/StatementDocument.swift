import Foundation
import RevShareCore

/// The statement's JSON exactly as SPEC §7.1 shapes it. A final statement is stored as this
/// text when it is issued and printed from it ever after.
public enum StatementDocument {
    public static func json(_ statement: Statement) -> String {
        let money = { (minor: Int64) in JSONValue.string(Money.format(minor: minor, currency: statement.currency)) }
        return JSONValue.object([
            ("statement_id", .string(statement.statementID)),
            ("status", .string(statement.status.rawValue)),
            ("partner", .string(statement.partnerID)),
            ("partner_name", .string(statement.partnerName)),
            ("period", .string(statement.period.description)),
            ("currency", .string(statement.currency.code)),
            ("agreement_id", .string(statement.agreementID)),
            ("due_date", .string(statement.dueDate.description)),
            ("opening_balance", money(statement.openingBalanceMinor)),
            ("lines", .array(statement.lines.map { line in
                .object([
                    ("model", .string(line.model)),
                    ("requests", .integer(line.requests)),
                    ("input_tokens", .integer(line.inputTokens)),
                    ("output_tokens", .integer(line.outputTokens)),
                    ("gross_revenue", .string(ScaledDecimal.format(line.grossRevenueMicros, scale: 6))),
                    ("share", money(line.shareMinor)),
                ])
            })),
            ("share", money(statement.shareMinor)),
            ("minimum_true_up", money(statement.minimumTrueUpMinor)),
            ("adjustments", .array(statement.adjustments.map {
                .object([("period", .string($0.period.description)), ("amount", money($0.amountMinor))])
            })),
            ("charges", money(statement.chargesMinor)),
            ("payments", .array(statement.payments.map {
                .object([("payment_id", .string($0.paymentID)), ("received_on", .string($0.receivedOn.description)),
                         ("amount", money($0.amountMinor))])
            })),
            ("closing_balance", money(statement.closingBalanceMinor)),
        ]).serialized()
    }

    public struct Unreadable: RevShareFailure {
        public let statementID: String
        public let reason: String
        public var category: FailureCategory { .internalError }
        public var diagnostics: [String] {
            ["statement \(statementID): the stored document cannot be read (\(reason)); run `revshare verify`"]
        }
    }

    /// Reads a stored document back, exactly: every amount is parsed from its text.
    public static func parse(_ text: String) throws -> Statement {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Unreadable(statementID: "?", reason: "not a JSON object")
        }
        let reader = FieldReader(object: object, statementID: object["statement_id"] as? String ?? "?")
        let currency = try reader.currency("currency")
        let lines = try reader.objects("lines").map { line in
            ShareLine(model: try line.string("model"), requests: try line.integer("requests"),
                      inputTokens: try line.integer("input_tokens"), outputTokens: try line.integer("output_tokens"),
                      grossRevenueMicros: try line.decimal("gross_revenue", scale: 6),
                      shareMinor: try line.decimal("share", scale: currency.minorDigits))
        }
        return Statement(
            status: Statement.Status(rawValue: try reader.string("status")) ?? .final,
            partnerID: try reader.string("partner"), partnerName: try reader.string("partner_name"),
            period: try reader.parsed("period", Period.init), currency: currency,
            agreementID: try reader.string("agreement_id"), dueDate: try reader.parsed("due_date", CivilDate.init),
            openingBalanceMinor: try reader.decimal("opening_balance", scale: currency.minorDigits),
            lines: lines,
            shareMinor: try reader.decimal("share", scale: currency.minorDigits),
            minimumTrueUpMinor: try reader.decimal("minimum_true_up", scale: currency.minorDigits),
            adjustments: try reader.objects("adjustments").map {
                Statement.Adjustment(period: try $0.parsed("period", Period.init),
                                     amountMinor: try $0.decimal("amount", scale: currency.minorDigits))
            },
            payments: try reader.objects("payments").map {
                Statement.Payment(paymentID: try $0.string("payment_id"),
                                  receivedOn: try $0.parsed("received_on", CivilDate.init),
                                  amountMinor: try $0.decimal("amount", scale: currency.minorDigits))
            })
    }

    private struct FieldReader {
        let object: [String: Any]
        let statementID: String

        func fail(_ key: String) -> Unreadable { Unreadable(statementID: statementID, reason: "field \(key)") }

        func string(_ key: String) throws -> String {
            guard let value = object[key] as? String else { throw fail(key) }
            return value
        }

        func integer(_ key: String) throws -> Int64 {
            guard let number = object[key] as? NSNumber, let value = Int64(exactly: number.int64Value),
                  "\(number)" == String(value) else { throw fail(key) }
            return value
        }

        func decimal(_ key: String, scale: Int) throws -> Int64 {
            guard let value = try? ScaledDecimal.parse(try string(key), scale: scale, allowNegative: true).get() else {
                throw fail(key)
            }
            return value
        }

        func currency(_ key: String) throws -> Currency {
            guard let currency = Currency(code: try string(key)) else { throw fail(key) }
            return currency
        }

        func parsed<T>(_ key: String, _ make: (String) -> T?) throws -> T {
            guard let value = make(try string(key)) else { throw fail(key) }
            return value
        }

        func objects(_ key: String) throws -> [FieldReader] {
            guard let items = object[key] as? [[String: Any]] else { throw fail(key) }
            return items.map { FieldReader(object: $0, statementID: statementID) }
        }
    }
}
