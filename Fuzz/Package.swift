// swift-tools-version:6.0
import PackageDescription

// A libFuzzer target over the scanner, apart from the main package so that its sanitizer flags
// never touch a normal build. Built and run by scripts/fuzz.sh (see docs/hardening.md).
let package = Package(
    name: "acrscan-fuzz",
    dependencies: [.package(name: "acrscan", path: "..")],
    targets: [
        .target(name: "CFuzzer"),
        .executableTarget(
            name: "ScannerFuzz",
            dependencies: ["CFuzzer", .product(name: "LogScanner", package: "acrscan")]),
        .executableTarget(
            name: "LogFileFuzz",
            dependencies: ["CFuzzer", .product(name: "LogScanner", package: "acrscan")]),
    ]
)
