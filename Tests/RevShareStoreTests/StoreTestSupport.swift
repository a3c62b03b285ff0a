import Foundation
import GRDB
import RevShareCore
import RevShareStore
import TestSupport

/// A second, raw connection to a store's file: what someone with `sqlite3` could do.
func rawConnection(_ store: Store) throws -> DatabaseQueue {
    try DatabaseQueue(path: store.path)
}

func entry(_ key: String, on day: String = "2025-01-31", _ postings: [(String, Int64)],
           currency: Currency = usd, kind: EntryKind = .payment) throws -> EntryDraft {
    try EntryDraft(date: date(day), kind: kind, description: "test \(key)", idempotencyKey: key,
                   postings: postings.map { Posting(account: Account($0.0)!, currency: currency, amountMinor: $0.1) })
}

/// A random balanced entry: 2–5 postings in one or two currencies, each summing to zero.
func randomBalancedEntry(_ index: Int, using generator: inout SplitMix64) throws -> EntryDraft {
    let accounts = ["assets:bank", "assets:receivable:aws", "assets:receivable:groq", "income:revenue-share:aws",
                    "income:minimum-guarantee:groq", "income:adjustments:aws"]
    var postings: [Posting] = []
    for currency in [usd, jpy].prefix(Int.random(in: 1...2, using: &generator)) {
        let count = Int.random(in: 2...4, using: &generator)
        var sum: Int64 = 0
        for position in 0..<count {
            var amount = position == count - 1 ? -sum : Int64.random(in: -1_000_000...1_000_000, using: &generator)
            if amount == 0 { amount = 1 }
            if position == count - 1 && amount != -sum { continue }
            sum += amount
            postings.append(Posting(account: Account(accounts.randomElement(using: &generator)!)!, currency: currency, amountMinor: amount))
        }
        if sum != 0 { // the last amount was forced to 1: close the currency with one more posting
            postings.append(Posting(account: Account("assets:bank")!, currency: currency, amountMinor: -sum))
        }
    }
    let day = CivilDate(year: 2025, month: Int.random(in: 1...12, using: &generator), day: Int.random(in: 1...28, using: &generator))!
    return try EntryDraft(date: day, kind: EntryKind.allCases.randomElement(using: &generator)!,
                          description: "random entry \(index)", idempotencyKey: "random:\(index)", postings: postings)
}
