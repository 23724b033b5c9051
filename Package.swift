// swift-tools-version:6.0
import PackageDescription

// The modules on the scan's and the store's hot path are built without Swift's dynamic exclusivity
// checks in release; debug builds, which the tests run, keep them and so still catch a conflicting
// access. The checks (`swift_beginAccess` and its access set) were about 2% of the scanning thread on
// failure-dense logs (docs/performance.md, "Checkpoints on the writer").
let hotPath: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
]

let package = Package(
    name: "acrscan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "acrscan", targets: ["acrscan"]),
        // For the fuzzing package in Fuzz/ (docs/hardening.md), which depends on this one by path.
        .library(name: "LogScanner", targets: ["LogModel", "LogScanner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // System C libraries, linked from the machine (README, "Dependencies").
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(
            name: "CIsal", path: "Sources/CIsal", pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"]), .brew(["isa-l"])]),
        .systemLibrary(
            name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .systemLibrary(
            name: "CLzma", path: "Sources/CLzma", pkgConfig: "liblzma",
            providers: [.apt(["liblzma-dev"]), .brew(["xz"])]),
        // Debian's libbz2-dev installs no pkg-config file: the header and library are in the default paths.
        .systemLibrary(
            name: "CBzip2", path: "Sources/CBzip2",
            providers: [.apt(["libbz2-dev"]), .brew(["bzip2"])]),

        // The SIMD byte search of the scanner's hot path (Teddy prefilter, newline count, memrchr).
        .target(name: "CByteScan", path: "Sources/CByteScan"),

        // The flow reads from the folders (docs/architecture.md): Model holds the values every layer
        // shares; Scanner turns bytes into occurrences; Ingest walks, identifies and resumes files
        // and hands batches to Store (SQLite only); Report prints every format. Module names avoid
        // Foundation.Scanner.
        .target(name: "LogModel", path: "Sources/Model", swiftSettings: hotPath),
        .target(
            name: "LogScanner", dependencies: ["LogModel", "CZlib", "CByteScan", "CIsal", "CZstd", "CLzma", "CBzip2"],
            path: "Sources/Scanner", swiftSettings: hotPath),
        .target(
            name: "LogStore", dependencies: ["LogModel", "LogScanner", "CSQLite"], path: "Sources/Store",
            swiftSettings: hotPath),
        .target(
            name: "LogIngest", dependencies: ["LogModel", "LogScanner", "LogStore"], path: "Sources/Ingest",
            swiftSettings: hotPath),
        .target(name: "LogReport", dependencies: ["LogModel", "LogScanner"], path: "Sources/Report"),
        .executableTarget(
            name: "acrscan",
            dependencies: [
                "LogModel", "LogScanner", "LogStore", "LogIngest", "LogReport", "CSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/acrscan",
            // Release builds on Linux link the Swift runtime and FoundationEssentials statically:
            // 3 ms less start-up per run (docs/performance.md, "Start-up"). lld, because these
            // flags come before the objects that need them; the three libraries, because their
            // modules do not name them for the linker.
            linkerSettings: [
                .unsafeFlags(
                    [
                        "-static-stdlib", "-use-ld=lld", "-l_FoundationCollections", "-l_FoundationCShims",
                        "-lswiftSynchronization",
                    ], .when(platforms: [.linux], configuration: .release))
            ]),

        // Benchmarks, run on demand by scripts/bench-*.sh (always in release), never by the tests.
        .executableTarget(
            name: "store-bench", dependencies: ["LogModel", "LogScanner", "LogStore", "LogIngest"],
            path: "Benchmarks/StoreBench"),

        // Tests read their fixtures by path (relative to #filePath), so no resources are declared.
        .testTarget(
            name: "ScannerTests", dependencies: ["LogModel", "LogScanner"], path: "Tests/ScannerTests",
            exclude: ["Fixtures", "RealWorld"]),
        .testTarget(
            name: "StoreTests", dependencies: ["LogModel", "LogScanner", "LogStore"], path: "Tests/StoreTests"),
        .testTarget(
            name: "IngestTests", dependencies: ["LogModel", "LogScanner", "LogStore", "LogIngest"],
            path: "Tests/IngestTests"),
        .testTarget(
            name: "ReportTests", dependencies: ["LogModel", "LogScanner", "LogReport"], path: "Tests/ReportTests"),
        .testTarget(
            name: "EndToEndTests", dependencies: ["acrscan"], path: "Tests/EndToEndTests",
            exclude: ["samples.expected.tsv", "Golden"]),
    ]
)
