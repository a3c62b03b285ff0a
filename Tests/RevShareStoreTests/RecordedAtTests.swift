import Foundation
import RevShareCore
import RevShareStore
import Testing
import TestSupport

/// `recorded_at` never goes backwards along the chain: entries are stamped under the write lock,
/// and `verify` names an entry whose stamp is earlier than the one before it.
struct RecordedAtTests {
    @Test func verifyNamesATimestampThatGoesBackwards() throws {
        let directory = TemporaryDirectory("recorded-at")
        defer { directory.remove() }
        let path = directory.file("revshare.sqlite")
        for (index, stamp) in ["2025-06-01T12:00:00Z", "2025-06-01T12:00:00Z", "2025-06-01T11:59:59Z"].enumerated() {
            let store = try Store.open(path: path, create: true, clock: .fixed(stamp))
            _ = try store.write("post") { try $0.append(entry("k\(index)", [("assets:bank", 100), ("assets:receivable:aws", -100)])) }
        }
        let report = try Store.open(path: path, readOnly: true).read("verify") { try $0.verify() }
        #expect(report.problems.map(\.description) == [
            "entry 3: recorded_at 2025-06-01T11:59:59Z is earlier than entry 2's 2025-06-01T12:00:00Z: timestamps go backwards along the chain",
        ])
    }
}
