/// The one place where revshare rounds: half to even ("banker's rounding").
public enum HalfEven {
    /// numerator / denominator rounded half to even; denominator > 0.
    public static func divide(_ numerator: Int128, by denominator: Int128) -> Int128 {
        precondition(denominator > 0, "rounding divides by a positive denominator")
        var quotient = numerator / denominator  // truncates toward zero
        let remainder = numerator % denominator  // same sign as numerator
        let twiceRemainder = remainder.magnitude * 2
        let direction: Int128 = numerator < 0 ? -1 : 1
        if twiceRemainder > denominator.magnitude
            || (twiceRemainder == denominator.magnitude && quotient % 2 != 0)
        {
            quotient += direction
        }
        return quotient
    }

    /// A value of 10^-fromScale units rounded to 10^-toScale units (toScale ≤ fromScale).
    public static func rescale(_ value: Int128, fromScale: Int, toScale: Int) -> Int128 {
        precondition(toScale <= fromScale)
        return divide(value, by: Powers.ten128(fromScale - toScale))
    }
}
