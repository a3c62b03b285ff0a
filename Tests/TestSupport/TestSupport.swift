import Foundation
import RevShareCore
import RevShareStore

/// A fresh directory under the system temporary directory, unique per call.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "revshare-test") {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(label)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> String { "\(path)/\(name)" }

    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        let target = file(name)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A recorded-at stamp for tests: never the wall clock.
public let testClock = UTCClock.fixed("2025-06-01T12:00:00Z")

/// A store in a fresh temporary directory.
public func makeTestStore(_ label: String = "store") throws -> (Store, TemporaryDirectory) {
    let directory = TemporaryDirectory(label)
    let store = try Store.open(path: directory.file("revshare.sqlite"), create: true, clock: testClock)
    return (store, directory)
}

/// SplitMix64: a small, seeded, reproducible generator for property tests.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

public func date(_ text: String) -> CivilDate { CivilDate(text)! }
public func period(_ text: String) -> Period { Period(text)! }
public let usd = Currency(code: "USD")!
public let jpy = Currency(code: "JPY")!
public let kwd = Currency(code: "KWD")!

/// The repository's root, found from this file's location.
public let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// Fixed dates, so no test reads the clock.
public enum Fixtures {
    /// "Today" for closes in tests: after every period the fixtures use.
    public static let today = CivilDate("2026-06-30")!
}
