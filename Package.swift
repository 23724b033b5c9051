// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "acrscan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "acrscan", targets: ["acrscan"]),
        // For the fuzzing package in Fuzz/ (docs/hardening.md), which depends on this one by path.
        .library(name: "LogScanner", targets: ["LogScanner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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

        // Module names avoid Foundation.Scanner; folders follow SPEC section 1.
        .target(name: "LogScanner", dependencies: ["CZlib", "CByteScan", "CIsal", "CZstd", "CLzma", "CBzip2"], path: "Sources/Scanner"),
        .target(name: "LogStore", dependencies: ["LogScanner", "CSQLite"], path: "Sources/Store"),
        .target(name: "LogReport", dependencies: ["LogScanner", "LogStore"], path: "Sources/Report"),
        .executableTarget(
            name: "acrscan",
            dependencies: [
                "LogScanner", "LogStore", "LogReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/acrscan"),

        // Benchmarks, run on demand by scripts/bench-*.sh (always in release), never by the tests.
        .executableTarget(name: "store-bench", dependencies: ["LogScanner", "LogStore"], path: "Benchmarks/StoreBench"),

        // Tests read their fixtures by path (relative to #filePath), so no resources are declared.
        .testTarget(name: "ScannerTests", dependencies: ["LogScanner"], path: "Tests/ScannerTests",
                    exclude: ["Fixtures", "RealWorld"]),
        .testTarget(name: "StoreTests", dependencies: ["LogStore"], path: "Tests/StoreTests"),
        .testTarget(name: "ReportTests", dependencies: ["LogReport"], path: "Tests/ReportTests"),
        .testTarget(name: "EndToEndTests", dependencies: ["acrscan"], path: "Tests/EndToEndTests",
                    exclude: ["samples.expected.tsv", "Golden"]),
    ]
)
