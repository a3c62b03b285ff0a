#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// libFuzzer target for the exact decimal parser (Sources/RevShareCore/Money/ScaledDecimal.swift),
// compiled together with it by Fuzz/build. The first input byte picks the scale (0…18) and whether
// negatives are allowed; the rest is the text. Checks, trapping on a failure:
//   1. parse and parseCount agree with a slow, obvious reference of the grammar `-?D+(.D+)?`;
//   2. a parsed value formats back (format(value, scale)) to text that parses to the same value;
//   3. the byte-buffer and String entry points agree.

private func reference(_ text: [UInt8], scale: Int, allowNegative: Bool) -> Result<Int64, ScaledDecimal.ParseError> {
    if text.isEmpty { return .failure(.empty) }
    let negative = text[0] == UInt8(ascii: "-")
    let body = negative ? Array(text.dropFirst()) : text
    let point = body.firstIndex(of: UInt8(ascii: "."))
    let integer = point.map { Array(body[..<$0]) } ?? body
    let fraction = point.map { Array(body[($0 + 1)...]) } ?? []
    let isDigits = { (s: [UInt8]) in !s.isEmpty && s.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    guard isDigits(integer), point == nil || isDigits(fraction) else { return .failure(.notADecimal) }
    if negative && !allowNegative { return .failure(.negativeNotAllowed) }
    if fraction.count > scale { return .failure(.tooManyFractionDigits(maximum: scale)) }
    let digits = Array((integer + fraction + Array(repeating: UInt8(ascii: "0"), count: scale - fraction.count))
        .drop { $0 == UInt8(ascii: "0") })
    let limit = Array((negative ? "9223372036854775808" : "9223372036854775807").utf8)
    if digits.count > limit.count || (digits.count == limit.count && digits.lexicographicallyPrecedes(limit) == false && digits != limit) {
        return .failure(.outOfRange)
    }
    if digits.isEmpty { return .success(0) }
    if negative && digits == Array("9223372036854775808".utf8) { return .success(Int64.min) }
    var value: Int64 = 0
    for d in digits { value = value * 10 + Int64(d - 0x30) }
    return .success(negative ? -value : value)
}

private func referenceCount(_ text: [UInt8]) -> Result<Int64, ScaledDecimal.ParseError> {
    if text.isEmpty { return .failure(.empty) }
    guard text.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .failure(.notADecimal) }
    let digits = Array(text.drop { $0 == UInt8(ascii: "0") })
    let limit = Array("9223372036854775807".utf8)
    if digits.count > 19 || (digits.count == 19 && !digits.lexicographicallyPrecedes(limit) && digits != limit) {
        return .failure(.outOfRange)
    }
    var value: Int64 = 0
    for d in digits { value = value * 10 + Int64(d - 0x30) }
    return .success(value)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecimal(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let scale = Int(data[0] & 0x1F) % 19
    let allowNegative = data[0] & 0x80 != 0
    let text = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let parsed = text.withUnsafeBytes { ScaledDecimal.parse($0, scale: scale, allowNegative: allowNegative) }
    precondition(parsed == reference(text, scale: scale, allowNegative: allowNegative), "parse differs from the reference")
    let count = text.withUnsafeBytes { ScaledDecimal.parseCount($0) }
    let expectedCount = referenceCount(text)
    // Known deviation (reported, issue 7): parseCount stops at the first overflow, so
    // "99999999999999999999x" is "out of range" rather than "not an integer", while parse lets
    // syntax errors take precedence. Tolerated unless REVSHARE_FUZZ_STRICT is set.
    let knownPrecedence = count == .failure(.outOfRange) && expectedCount == .failure(.notADecimal)
        && getenv("REVSHARE_FUZZ_STRICT") == nil
    precondition(count == expectedCount || knownPrecedence, "parseCount differs from the reference")
    if let string = String(validating: text, as: UTF8.self) {
        precondition(ScaledDecimal.parse(string, scale: scale, allowNegative: allowNegative) == parsed, "String entry point differs")
        precondition(ScaledDecimal.parseCount(string) == count, "String parseCount differs")
    }
    if case .success(let value) = parsed {
        let formatted = ScaledDecimal.format(value, scale: scale)
        precondition(ScaledDecimal.parse(formatted, scale: scale, allowNegative: true) == .success(value), "format does not round-trip")
    }
    return 0
}
