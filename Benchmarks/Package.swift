// swift-tools-version: 6.2
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, which is whatever the clone is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

// A separate package so that `swift build` and `swift test` at the root never build the benchmark harness.
// Run: cd Benchmarks && swift package benchmark
let package = Package(
    name: "CloudReleaseBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ReleaseBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ReleaseCore", package: root),
                .product(name: "AliyunECS", package: root),
                .product(name: "TencentCVM", package: root),
                .product(name: "ProviderRegistry", package: root),
                .product(name: "FleetReplay", package: root),
            ],
            path: "Benchmarks/ReleaseBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)
