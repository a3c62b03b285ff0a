/// User text (a model name, a region, a payment or partner id) as a key that matches byte for
/// byte, the way the database does.
///
/// Swift's `String` compares, hashes and orders by canonical equivalence: a precomposed `é`
/// (U+00E9) equals `e` + U+0301, and `"\r\n"` is one `Character`. SQLite's BINARY collation,
/// which keys every stored row, sees two different models there. A dictionary, set, sort or
/// equality test in Swift that used `String` would merge or reorder what the store keeps apart,
/// so every such key is an `ExactText`: equal only when the UTF-8 bytes are, ordered by those
/// bytes (UTF-8 byte order is Unicode scalar order, and SQLite's BINARY order).
public struct ExactText: Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let string: String

    public init(_ string: String) { self.string = string }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { string }

    public static func == (lhs: ExactText, rhs: ExactText) -> Bool { lhs.string.isByteIdentical(to: rhs.string) }

    public static func < (lhs: ExactText, rhs: ExactText) -> Bool { lhs.string.utf8Precedes(rhs.string) }

    public func hash(into hasher: inout Hasher) {
        var text = string
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        // 0xFF never occurs in UTF-8: it ends the text, so that ("ab", "c") and ("a", "bc")
        // hash apart inside a compound key.
        hasher.combine(UInt8(0xFF))
    }
}

extension String {
    /// Whether `self` comes before `other` in UTF-8 byte order (Unicode scalar order), not in
    /// `String`'s canonical order.
    public func utf8Precedes(_ other: String) -> Bool { utf8.lexicographicallyPrecedes(other.utf8) }

    /// Whether `self` and `other` hold the same UTF-8 bytes; canonically equivalent but
    /// differently encoded text is not identical.
    public func isByteIdentical(to other: String) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8)
    }

    /// The length that limits count ("characters" in messages and the README): Unicode scalars,
    /// so that a limit means the same whatever Unicode version groups them into `Character`s.
    public var scalarCount: Int { unicodeScalars.count }
}
