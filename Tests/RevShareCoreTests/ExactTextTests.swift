import Testing
import RevShareCore

struct ExactTextTests {
    static let precomposed = "caf\u{E9}"        // 63 61 66 C3 A9
    static let decomposed = "cafe\u{301}"       // 63 61 66 65 CC 81

    @Test("canonically equivalent text is two keys: é (U+00E9) and e + U+0301")
    func canonicalEquivalentsDiffer() {
        // The premise: String itself merges them.
        #expect(Self.precomposed == Self.decomposed)
        #expect(Array(Self.precomposed.utf8) == [0x63, 0x61, 0x66, 0xC3, 0xA9])
        #expect(Array(Self.decomposed.utf8) == [0x63, 0x61, 0x66, 0x65, 0xCC, 0x81])

        let a = ExactText(Self.precomposed), b = ExactText(Self.decomposed)
        #expect(a != b)
        #expect(!Self.precomposed.isByteIdentical(to: Self.decomposed))
        #expect(Set([a, b]).count == 2)
        let prices: [ExactText: Int] = [a: 1]
        #expect(prices[b] == nil)
        #expect(prices[ExactText("caf\u{E9}")] == 1)
    }

    @Test("a CR LF line break is not a lone LF nor a lone CR")
    func lineBreaksDiffer() {
        let crlf = ExactText("a\r\nb"), lf = ExactText("a\nb"), cr = ExactText("a\rb")
        #expect(crlf != lf && crlf != cr && lf != cr)
        #expect(Set([crlf, lf, cr]).count == 3)
        #expect("a\r\nb".count == 3)          // String sees one Character for CR LF
        #expect("a\r\nb".scalarCount == 4)
    }

    @Test("order is UTF-8 byte order (Unicode scalar order), as SQLite's BINARY collation")
    func byteOrder() {
        // 0x65 ('e') < 0xC3 (lead byte of é): the decomposed form sorts first.
        #expect(ExactText(Self.decomposed) < ExactText(Self.precomposed))
        #expect(Self.decomposed.utf8Precedes(Self.precomposed))
        #expect(!Self.precomposed.utf8Precedes(Self.decomposed))
        // Upper case before lower case, a prefix before its extensions, U+FFFD after U+00FF.
        let sorted = [ExactText("b"), "a\u{FFFD}", "a\u{FF}", "B", "a", "ab"].sorted()
        #expect(sorted.map(\.string) == ["B", "a", "ab", "a\u{FF}", "a\u{FFFD}", "b"])
        // A scalar above the BMP (4 UTF-8 bytes) sorts after every BMP scalar.
        #expect(ExactText("\u{FFFF}") < ExactText("\u{10000}"))
        #expect(!(ExactText("x") < ExactText("x")))
    }

    @Test("equal text hashes equally; a compound key does not confuse where one part ends")
    func hashing() {
        var a = Hasher(), b = Hasher()
        a.combine(ExactText("caf\u{E9}"))
        b.combine(ExactText(String(decoding: [0x63, 0x61, 0x66, 0xC3, 0xA9], as: UTF8.self)))
        #expect(a.finalize() == b.finalize())
        struct Pair: Hashable { let first: ExactText, second: ExactText }
        #expect(Set([Pair(first: "ab", second: "c"), Pair(first: "a", second: "bc")]).count == 2)
    }

    @Test("scalarCount counts Unicode scalars, not Characters")
    func scalars() {
        #expect("e\u{301}\u{301}".scalarCount == 3)
        #expect("e\u{301}\u{301}".count == 1)
        #expect("🇫🇷".scalarCount == 2)
        #expect("".scalarCount == 0)
    }
}
