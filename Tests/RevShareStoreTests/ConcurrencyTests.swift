import Dispatch
import Foundation
import RevShareCore
import Testing
@testable import RevShareStore
import TestSupport

struct ConcurrencyTests {
    @Test("two connections posting at once both succeed and the chain stays valid")
    func concurrentWriters() throws {
        let (first, directory) = try makeTestStore("concurrent")
        defer { directory.remove() }
        let second = try Store.open(path: first.path, clock: testClock)
        let failures = FailureCount()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            let store = writer == 0 ? first : second
            for index in 0..<100 {
                do {
                    let draft = try entry("w\(writer):\(index)", [("assets:bank", Int64(index + 1)), ("income:x", -Int64(index + 1))])
                    _ = try store.write("post") { try $0.append(draft) }
                } catch {
                    failures.add()
                }
            }
        }
        #expect(failures.value == 0)
        let report = try first.read("v") { try $0.verify() }
        #expect(report.passed)
        #expect(report.entriesChecked == 200)
        // Each writer posted 1 + 2 + … + 100 = 5050 to the bank.
        #expect(try first.read("b") { try $0.balance(of: .bank, currency: usd, asOf: date("2025-12-31")) } == 10_100)
    }
}

final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
