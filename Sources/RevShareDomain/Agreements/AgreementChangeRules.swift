import RevShareCore
import RevShareStore

/// The business rules on changing agreements (SPEC §3.1, §9), as a pure function.
///
/// An agreement governs the periods from its `effective_from` up to the month before the
/// partner's next agreement. Closed periods are contiguous, `closed.lowerBound` through
/// `closed.upperBound`. Refused:
/// - changing or removing an agreement that governs a closed period, or making another
///   agreement govern a closed period in its place;
/// - adding an agreement, or changing one, whose `effective_from` is on or before the latest
///   closed period (it would change what governs a closed period);
/// - removing a partner whose agreements govern a closed period, or that imported usage,
///   meter data or payments refer to;
/// - changing the currency of a partner whose agreements govern a closed period, or whose
///   imported usage or payments were recorded in the old currency.
/// Names, payment terms and anything governing only open periods may change freely.
public enum AgreementChangeRules {
    /// One sentence per refused change (without the file name), in partner order; empty when
    /// the change is allowed. `references` holds the imported records of the partners that
    /// are removed or change currency (missing entries count as none).
    public static func problems(current: [Partner], desired: [Partner], closed: ClosedRange<Period>?,
                                references: [String: PartnerReferences]) -> [String] {
        var problems: [String] = []
        let desiredByID = Dictionary(desired.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Agreement ids are free text, matched byte for byte as the store keys them.
        let currentAgreements = AgreementSetDiff.agreementsByID(current)
        var reported = Set<ExactText>()
        let later = closed.flatMap { $0.upperBound.next.map { "\($0) or later" } } ?? "a later period"

        for old in current.sorted(by: { $0.id < $1.id }) {
            let governed = closed.map { governedClosedPeriods(of: old, closed: $0) } ?? []
            let refs = references[old.id].flatMap { $0.isEmpty ? nil : $0 }
            guard let new = desiredByID[old.id] else {
                if let first = governed.first {
                    problems.append("partner \(old.id): removing it is refused: its agreement \(first.agreement.id) governs \(describe(first.periods)); keep the partner and its agreements in the file as they were loaded")
                    reported.formUnion(governed.map { ExactText($0.agreement.id) })
                } else if let refs {
                    problems.append("partner \(old.id): removing it is refused: \(refs.description) refer to it; keep it in the file")
                }
                continue
            }
            if new.currency != old.currency {
                if let first = governed.first {
                    problems.append("partner \(old.id): changing its currency from \(old.currency.code) to \(new.currency.code) is refused: its agreement \(first.agreement.id) governs \(describe(first.periods))")
                } else if let refs {
                    problems.append("partner \(old.id): changing its currency from \(old.currency.code) to \(new.currency.code) is refused: \(refs.description) recorded in \(old.currency.code) refer to it")
                }
            }
            for (agreement, periods) in governed {
                reported.insert(ExactText(agreement.id))
                let subject = "partner \(old.id), agreement \(agreement.id)"
                guard let replacement = new.agreements.first(where: { $0.id.isByteIdentical(to: agreement.id) }) else {
                    problems.append("\(subject): removing it is refused: it governs \(describe(periods)); keep it in the file as it was loaded")
                    continue
                }
                guard sameTerms(agreement, in: old.currency, replacement, in: new.currency) else {
                    problems.append("\(subject): changing it is refused: it governs \(describe(periods)); restore it as it was loaded, and put new terms in a new agreement effective from \(later)")
                    continue
                }
                if let period = periodsList(periods).first(where: { new.agreement(for: $0)?.id.isByteIdentical(to: agreement.id) != true }),
                   let taker = new.agreement(for: period), !reported.contains(ExactText(taker.id)) {
                    reported.insert(ExactText(taker.id))
                    problems.append("partner \(old.id), agreement \(taker.id): refused: effective_from \(taker.effectiveFrom) would make it govern closed period \(period) in place of agreement \(agreement.id); an agreement added or changed now must start in \(later)")
                }
            }
        }

        guard let closed else { return problems }
        for partner in desired.sorted(by: { $0.id < $1.id }) {
            for agreement in partner.agreements where agreement.effectiveFrom <= closed.upperBound && !reported.contains(ExactText(agreement.id)) {
                let before = currentAgreements[ExactText(agreement.id)]
                guard before != agreement else { continue }
                reported.insert(ExactText(agreement.id))
                let action = before == nil ? "adding it" : "changing it"
                problems.append("partner \(partner.id), agreement \(agreement.id): \(action) is refused: its effective_from \(agreement.effectiveFrom) is on or before the latest closed period \(closed.upperBound); an agreement added or changed now must start in \(later)")
            }
        }
        return problems
    }

    /// Each of `partner`'s agreements that governs a closed period, with those periods.
    public static func governedClosedPeriods(of partner: Partner, closed: ClosedRange<Period>)
        -> [(agreement: Agreement, periods: ClosedRange<Period>)]
    {
        partner.agreements.compactMap { agreement in
            let range = partner.governedRange(of: agreement)
            let from = max(range.from, closed.lowerBound)
            let through = min(range.through ?? closed.upperBound, closed.upperBound)
            return from <= through ? (agreement, from...through) : nil
        }
    }

    /// Whether two versions of an agreement hold the same terms, each minimum read in its own
    /// partner's currency: a currency change alone is reported once, as such.
    static func sameTerms(_ before: Agreement, in beforeCurrency: Currency, _ after: Agreement, in afterCurrency: Currency) -> Bool {
        guard beforeCurrency != afterCurrency else { return before == after }
        switch (before.minimumMonthlyMinor, after.minimumMonthlyMinor) {
        case (nil, nil):
            break
        case (let old?, let new?):
            guard Int128(old) * Int128(afterCurrency.minorUnitsPerUnit) == Int128(new) * Int128(beforeCurrency.minorUnitsPerUnit) else {
                return false
            }
        default:
            return false
        }
        let comparable = Agreement(id: after.id, partnerID: after.partnerID, effectiveFrom: after.effectiveFrom, basis: after.basis,
                                   tiers: after.tiers, prices: after.prices, defaultPrice: after.defaultPrice,
                                   minimumMonthlyMinor: before.minimumMonthlyMinor, tolerance: after.tolerance,
                                   listPrices: after.listPrices)
        return comparable == before
    }

    private static func describe(_ periods: ClosedRange<Period>) -> String {
        periods.lowerBound == periods.upperBound
            ? "closed period \(periods.lowerBound)"
            : "closed periods \(periods.lowerBound) through \(periods.upperBound)"
    }

    private static func periodsList(_ periods: ClosedRange<Period>) -> [Period] {
        var list: [Period] = []
        var period: Period? = periods.lowerBound
        while let current = period, current <= periods.upperBound {
            list.append(current)
            period = current.next
        }
        return list
    }
}
