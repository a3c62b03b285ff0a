import RevShareCore

/// Splits a total in minor units over weights so the parts add up exactly (SPEC §4.2, §9).
public enum LargestRemainder {
    /// Each part gets its quota total × weight / Σ weights floored (toward −∞), then the parts
    /// with the largest fractional parts get one more minor unit each until the parts add up to
    /// the total; equal fractional parts go to the key first in UTF-8 byte order.
    ///
    /// Every part is within one minor unit of its exact quota: floor(quota) or floor(quota) + 1.
    /// For a negative total the convention is the same floor-then-add-one, so the parts with the
    /// largest fractional parts move toward zero: −5 over three equal weights is −1, −2, −2 (the
    /// first key gets −1), not −2, −2, −1 or the negation of splitting 5.
    ///
    /// - Parameter weights: each ≥ 0, with a sum that fits Int128. If all are 0, every part is 0
    ///   (and the parts add up to the total only when it is 0).
    /// - Returns: the parts in the order of `weights`.
    public static func split(totalMinor: Int64, weights: [(key: String, weight: Int128)])
        -> [(key: String, amountMinor: Int64)]
    {
        precondition(weights.allSatisfy { $0.weight >= 0 }, "largest-remainder weights are ≥ 0")
        let totalWeight = weights.reduce(Int128(0)) { $0 + $1.weight }
        guard totalWeight > 0 else { return weights.map { ($0.key, 0) } }

        var parts: [Int64] = []
        var remainders: [Int128] = []  // fractional part × totalWeight, in [0, totalWeight)
        for (_, weight) in weights {
            // total × weight can pass Int128; divide the full-width product (the quotient, between
            // 0 and total, always fits).
            var (quotient, remainder) = totalWeight.dividingFullWidth(Int128(totalMinor).multipliedFullWidth(by: weight))
            if remainder < 0 {  // division truncated toward zero: step down to the floor
                quotient -= 1
                remainder += totalWeight
            }
            parts.append(Int64(quotient))
            remainders.append(remainder)
        }
        // 0 ≤ leftover < number of parts with a fractional part, so only those get one more.
        let leftover = Int(Int128(totalMinor) - parts.reduce(Int128(0)) { $0 + Int128($1) })
        let byLargestFraction = weights.indices.sorted { a, b in
            if remainders[a] != remainders[b] { return remainders[a] > remainders[b] }
            if !weights[a].key.isByteIdentical(to: weights[b].key) { return weights[a].key.utf8Precedes(weights[b].key) }
            return a < b  // equal keys: input order, so the result never depends on the sort's stability
        }
        for index in byLargestFraction.prefix(leftover) { parts[index] += 1 }
        return zip(weights, parts).map { ($0.key, $1) }
    }
}
