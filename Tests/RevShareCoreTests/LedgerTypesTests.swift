import Testing
@testable import RevShareCore
import TestSupport

func posting(_ account: String, _ minor: Int64, _ currency: Currency = usd) -> Posting {
    Posting(account: Account(account)!, currency: currency, amountMinor: minor)
}

struct LedgerTypesTests {
    @Test("account names", arguments: [
        ("assets:bank", true), ("assets:receivable:aws", true), ("income:revenue-share:google-cloud", true),
        ("Assets:bank", false), ("assets::bank", false), (":assets", false), ("assets:", false),
        ("assets bank", false), ("", false),
    ])
    func accountNames(name: String, valid: Bool) {
        #expect((Account(name) != nil) == valid)
    }

    @Test("a balanced entry is accepted")
    func balanced() throws {
        let draft = try EntryDraft(date: date("2025-01-31"), kind: .share, description: "share",
                                   idempotencyKey: "k", postings: [posting("assets:receivable:aws", 100),
                                                                   posting("income:revenue-share:aws", -100)])
        #expect(draft.postings.count == 2)
    }

    @Test("invalid entries are refused before they are written", arguments: [
        ([posting("assets:bank", 100)], EntryDraft.Invalid.tooFewPostings(1)),
        ([posting("assets:bank", 100), posting("income:x", -99)], .unbalanced(currency: "USD", sumMinor: "1")),
        ([posting("assets:bank", 100), posting("income:x", -100, jpy)], .unbalanced(currency: "JPY", sumMinor: "-100")),
        ([posting("assets:bank", 0), posting("income:x", 0)], .zeroPosting(account: "assets:bank")),
    ])
    func refused(postings: [Posting], expected: EntryDraft.Invalid) {
        #expect(throws: expected) {
            try EntryDraft(date: date("2025-01-31"), kind: .payment, description: "", idempotencyKey: "k", postings: postings)
        }
    }

    @Test("sums that would overflow Int64 are still checked exactly")
    func hugeSums() {
        let postings = [posting("assets:a", Int64.max), posting("assets:b", Int64.max),
                        posting("income:c", Int64.min), posting("income:d", Int64.min)]
        // max + max + min + min = -2, computed in Int128 without wrapping.
        #expect(throws: EntryDraft.Invalid.unbalanced(currency: "USD", sumMinor: "-2")) {
            try EntryDraft(date: date("2025-01-31"), kind: .payment, description: "", idempotencyKey: "k", postings: postings)
        }
    }

    @Test("the canonical encoding hashes to the documented SHA-256")
    func canonicalHash() throws {
        let draft = try EntryDraft(
            date: date("2025-01-31"), kind: .share, description: "Revenue share aws 2025-01",
            idempotencyKey: "share:aws:2025-01",
            postings: [posting("assets:receivable:aws", 123_450), posting("income:revenue-share:aws", -123_450)])
        let entry = draft.sealed(sequence: 1, recordedAt: "2025-06-01T12:00:00Z", previousHash: EntryHash.genesis)
        // Computed independently with Python's hashlib over the README's encoding v1.
        #expect(entry.hash == "b960bcf7c95aa5fd9438f39a52697465d72503e08a18ce87a7e22d8e0a7a0c42")
        #expect(String(decoding: EntryHash.canonicalBytes(entry), as: UTF8.self).hasPrefix(
            "revshare-entry-v1\nseq=1:1\ndate=10:2025-01-31\nkind=5:share\n"))
        #expect(entry.records(draft))
    }
}

/// Vectors computed independently with Python's hashlib over the documented encodings.
struct InputDigestVectorTests {
    @Test("an input's content digest follows encoding revshare-input-v1 byte for byte")
    func contentDigestVector() {
        var digest = InputDigest(.usageReport)
        digest.row("usage_row")
        digest.integer(-5)
        Array("é".utf8).withUnsafeBytes { digest.text($0) }
        digest.null()
        #expect(digest.finalizeHex() == "b20cb1c87d557d592c37404f939d244c061688117e04baa63f89e6c939697979")
    }

    @Test("a link's hash follows encoding revshare-input-link-v1 byte for byte")
    func linkVector() {
        let link = InputLink(sequence: 7, kind: .paymentFile, subjectID: 3, contentSHA256: String(repeating: "a", count: 64),
                             recordedAt: "2025-01-02T03:04:05Z", previousHash: String(repeating: "0", count: 64))
        #expect(link.hash == "0716b1bfc6383b2fd4d25bb9f6355097df09ef13927a8feb7ac3a4d15197456a")
    }

    @Test("text longer than one hashing block hashes as one stream")
    func blocksDoNotChangeTheDigest() {
        // 200,000 bytes cross several 64 KiB blocks; the digest must equal one hash of the whole encoding,
        // whose SHA-256 was computed with hashlib.
        var digest = InputDigest(.meterReport)
        Array(repeating: UInt8(ascii: "x"), count: 200_000).withUnsafeBytes { digest.text($0) }
        digest.integer(1)
        #expect(digest.finalizeHex() == "18cfcc289cb8b179372aaf6409658b4da0f1d4b24b0ebd205cc2edbb2fe60163")
    }

    @Test("CheckedSum reports a sum past Int64 instead of trapping")
    func checkedSum() {
        #expect(CheckedSum.of([Int64.max, -1, 1]) == Int64.max)
        #expect(CheckedSum.of([Int64.max, 1, -1]) == nil)
        var sum = CheckedSum()
        sum.subtract(Int64.min)
        #expect(sum.total == nil)
    }
}
