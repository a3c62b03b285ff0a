import RevShareDomain
import Testing

@Suite("largest remainder")
struct LargestRemainderTests {
    private func split(_ total: Int64, _ weights: [(String, Int128)]) -> [String] {
        LargestRemainder.split(totalMinor: total, weights: weights.map { (key: $0, weight: $1) })
            .map { "\($0.key)=\($0.amountMinor)" }
    }

    @Test func tieGoesToTheFirstKeyInNameOrder() {
        // 1 over three equal weights: quotas 1/3, floors 0, one unit left; the tie goes to "a"
        #expect(split(1, [("b", 1), ("a", 1), ("c", 1)]) == ["b=0", "a=1", "c=0"])
    }

    @Test("a tie goes to the first key in UTF-8 byte order, where String sees equal keys")
    func tieByBytes() {
        // cafe + U+0301 is 63 61 66 65 CC 81, café (U+00E9) is 63 61 66 C3 A9: 0x65 < 0xC3.
        let parts = LargestRemainder.split(totalMinor: 1, weights: [(key: "caf\u{E9}", weight: 1), (key: "cafe\u{301}", weight: 1)])
        #expect(parts.map { Array($0.key.utf8) } == [[0x63, 0x61, 0x66, 0xC3, 0xA9], [0x63, 0x61, 0x66, 0x65, 0xCC, 0x81]])
        #expect(parts.map(\.amountMinor) == [0, 1])
    }

    @Test func twoUnitsLeftOver() {
        // 5 / 3 = 1 rem 2 each: floors 3, two units left → a, b
        #expect(split(5, [("c", 1), ("b", 1), ("a", 1)]) == ["c=1", "b=2", "a=2"])
    }

    @Test func largerFractionBeforeName() {
        // 10 × 1/4 = 2.5, 10 × 1/4 = 2.5, 10 × 2/4 = 5; floors 9, one left; m1 and m2 tie at .5 → m1
        #expect(split(10, [("m2", 1), ("m1", 1), ("m3", 2)]) == ["m2=2", "m1=3", "m3=5"])
        // 7 × 3/10 = 2.1, 7 × 7/10 = 4.9: floors 6, one left → z (.9 beats .1 whatever the name)
        #expect(split(7, [("a", 3), ("z", 7)]) == ["a=2", "z=5"])
    }

    @Test func allZeroWeights() {
        #expect(split(100, [("a", 0), ("b", 0)]) == ["a=0", "b=0"])
        #expect(split(0, [("a", 5), ("b", 7)]) == ["a=0", "b=0"])
        #expect(split(9, []) == [])
    }

    @Test func zeroWeightAmongOthers() {
        // 3 over 0 : 1 : 2 → 0, 1, 2 exactly
        #expect(split(3, [("a", 0), ("b", 1), ("c", 2)]) == ["a=0", "b=1", "c=2"])
    }

    @Test func negativeTotalsFloorThenAddOne() {
        // −5 / 3 = −1.667: floor −2 (remainder −5 − (−6) = 1, i.e. 1/3) each; floors −6, one unit left → a
        #expect(split(-5, [("a", 1), ("b", 1), ("c", 1)]) == ["a=-1", "b=-2", "c=-2"])
        // −7 × 1/7, 2/7, 4/7 = −1, −2, −4 exactly
        #expect(split(-7, [("a", 1), ("b", 2), ("c", 4)]) == ["a=-1", "b=-2", "c=-4"])
        // −2 × 3/4 = −1.5 → −2 (.5), −2 × 1/4 = −0.5 → −1 (.5): floors −3, one left, tie → a
        #expect(split(-2, [("b", 1), ("a", 3)]) == ["b=-1", "a=-1"])
    }

    @Test func productsBeyondInt128() {
        // Int64.max × (Int128.max / 2) does not fit Int128; the quotas are Int64.max / 2 = 4,611,686,018,427,387,903.5
        // each: floors 4,611,686,018,427,387,903 twice, one unit left, tie → a
        let half = Int128.max / 2
        #expect(split(.max, [("b", half), ("a", half)])
            == ["b=4611686018427387903", "a=4611686018427387904"])
    }
}
