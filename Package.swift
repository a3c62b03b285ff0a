// swift-tools-version: 6.2
import PackageDescription

// Warnings are errors in our own targets only; dependencies build as their authors ship them.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "revshare",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RevShare", targets: [
            "RevShareCore", "RevShareStore", "RevShareDomain", "RevShareImport",
            "RevShareReconcile", "RevShareReports", "RevShareSamples",
        ]),
        .executable(name: "revshare", targets: ["revshare"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .target(
            name: "RevShareCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(
            name: "RevShareSchema",
            path: "Schema",
            resources: [
                .embedInCode("0001_ledger.sql"),
                .embedInCode("0002_agreements.sql"),
                .embedInCode("0003_imports.sql"),
                .embedInCode("0004_close.sql"),
                .embedInCode("0005_reconcile.sql"),
                .embedInCode("0006_input_digests.sql"),
            ],
            swiftSettings: strict),
        .target(
            name: "RevShareStore",
            dependencies: [
                "RevShareCore", "RevShareSchema",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .target(
            name: "RevShareDomain",
            dependencies: ["RevShareCore", "RevShareStore"],
            swiftSettings: strict),
        .target(
            name: "RevShareImport",
            dependencies: ["RevShareCore", "RevShareStore", "RevShareDomain", "Yams"],
            swiftSettings: strict),
        .target(
            name: "RevShareReconcile",
            dependencies: ["RevShareCore", "RevShareStore", "RevShareDomain"],
            swiftSettings: strict),
        .target(
            name: "RevShareReports",
            dependencies: ["RevShareCore", "RevShareStore", "RevShareImport", "RevShareDomain", "RevShareReconcile"],
            swiftSettings: strict),
        .target(
            name: "RevShareSamples",
            dependencies: ["RevShareCore", "RevShareStore", "RevShareDomain", "RevShareImport"],
            swiftSettings: strict),
        .executableTarget(
            name: "revshare",
            dependencies: [
                "RevShareCore", "RevShareStore", "RevShareImport", "RevShareDomain",
                "RevShareReconcile", "RevShareReports", "RevShareSamples",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .target(
            name: "TestSupport",
            dependencies: ["RevShareCore", "RevShareStore"],
            path: "Tests/TestSupport",
            swiftSettings: strict),
        .testTarget(name: "RevShareCoreTests", dependencies: ["RevShareCore", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RevShareStoreTests",
            dependencies: ["RevShareStore", "RevShareSchema", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .testTarget(name: "RevShareImportTests", dependencies: ["RevShareImport", "RevShareDomain", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RevShareDomainTests",
            dependencies: ["RevShareDomain", "RevShareImport", "RevShareStore", "RevShareReconcile", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "RevShareReportsTests", dependencies: ["RevShareReports", "RevShareCore", "RevShareStore", "RevShareDomain", "RevShareImport", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"], swiftSettings: strict),
    ]
)
