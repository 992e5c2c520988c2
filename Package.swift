// swift-tools-version: 6.2
import PackageDescription

/// Upcoming features the whole package is written against (as swift-log uses them).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "CloudRelease",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ReleaseCore", targets: ["ReleaseCore"]),
        .library(name: "AliyunECS", targets: ["AliyunECS"]),
        .library(name: "TencentCVM", targets: ["TencentCVM"]),
        .library(name: "ProviderRegistry", targets: ["ProviderRegistry"]),
        .library(name: "Scenarios", targets: ["Scenarios"]),
        .library(name: "FleetReplay", targets: ["FleetReplay"]),
        .library(name: "ReleaseComparison", targets: ["ReleaseComparison"]),
        .library(name: "ReleaseTestKit", targets: ["ReleaseTestKit"]),
        .library(name: "Inventory", targets: ["Inventory"]),
        .executable(name: "cloud-release", targets: ["cloud-release"]),
        .executable(name: "cloud-release-emulator", targets: ["cloud-release-emulator"]),
    ],
    dependencies: [
        // The CLIs' argument parsing (every executable).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The emulator only: HMAC-SHA1/SHA-256 for the providers' signatures (EmulatorCore) and the HTTP server
        // (cloud-release-emulator). The library modules import neither.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // The emulator only: its proxy mode's certificate authority (EmulatorTLS) and TLS termination.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        .target(name: "ReleaseCore", swiftSettings: strictSettings),
        // Output forms shared by the reports: text layout by display width, stable JSON.
        .target(name: "Reporting", dependencies: ["ReleaseCore"], swiftSettings: strictSettings),
        // What the inventory reads, in no provider's terms: the instance as read, the reader and its problems, and
        // the codec each provider module declares for its own answers.
        .target(name: "ListingCodec", dependencies: ["ReleaseCore", "Reporting"], swiftSettings: strictSettings),
        .target(
            name: "AliyunECS",
            dependencies: ["ReleaseCore", "Reporting", "ListingCodec"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TencentCVM",
            dependencies: ["ReleaseCore", "Reporting", "ListingCodec"],
            swiftSettings: strictSettings
        ),
        // The one registry of providers: a provider module plus one case here.
        .target(
            name: "ProviderRegistry",
            dependencies: ["ReleaseCore", "AliyunECS", "TencentCVM", "Reporting", "ListingCodec"],
            swiftSettings: strictSettings
        ),
        // Scenario files: decode and validate, run on models, report.
        .target(
            name: "Scenarios",
            dependencies: ["ReleaseCore", "ProviderRegistry", "Reporting"],
            swiftSettings: strictSettings
        ),
        // Fleet traces: read, replay, generate, summarise.
        .target(
            name: "FleetReplay",
            dependencies: ["ReleaseCore", "ProviderRegistry", "Reporting"],
            swiftSettings: strictSettings
        ),
        // The user's own instances: DescribeInstances answers of either provider read into forecasts.
        .target(
            name: "Inventory",
            dependencies: ["ReleaseCore", "ProviderRegistry", "ListingCodec", "Reporting"],
            swiftSettings: strictSettings
        ),
        // The providers side by side, derived from probes; one-question explanations.
        .target(
            name: "ReleaseComparison",
            dependencies: ["ReleaseCore", "ProviderRegistry", "Reporting", "Scenarios"],
            swiftSettings: strictSettings
        ),
        .target(name: "ReleaseTestKit", dependencies: ["ReleaseCore", "Reporting"], swiftSettings: strictSettings),
        // zlib, the system's: the executable inflates gzip traces with it, 2.5× the package's own inflater
        // (Docs/Performance.md, "zlib"); the library keeps its own, so library users need nothing more.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "ZlibGzip", dependencies: ["CZlib", "FleetReplay"], swiftSettings: strictSettings),
        .executableTarget(
            name: "cloud-release",
            dependencies: [
                "ReleaseComparison", "Scenarios", "FleetReplay", "ProviderRegistry", "Reporting", "ReleaseCore",
                "Inventory", "ZlibGzip", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // The emulator's provider-neutral core: a pure `handle(request) -> response` over the fleet, records,
        // tokens, tags and journal, routing each request to a front end (no sockets, no provider module).
        .target(
            name: "EmulatorCore",
            dependencies: [
                "ProviderRegistry", "ReleaseCore", "FleetReplay", "Reporting",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Emulator/EmulatorCore",
            swiftSettings: strictSettings
        ),
        // Each provider's wire front end in the emulator: its actions, answer shapes and refusals over the core's
        // neutral state (issue 19, item 1).
        .target(
            name: "AliyunECSWire",
            dependencies: [
                "EmulatorCore", "ProviderRegistry", "AliyunECS", "ReleaseCore", "FleetReplay", "Reporting",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Emulator/AliyunECSWire",
            swiftSettings: strictSettings
        ),
        .target(
            name: "TencentCVMWire",
            dependencies: [
                "EmulatorCore", "ProviderRegistry", "TencentCVM", "ReleaseCore", "FleetReplay", "Reporting",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Emulator/TencentCVMWire",
            swiftSettings: strictSettings
        ),
        // The emulator's registry of front ends: one per provider, what an emulator serves by default.
        .target(
            name: "EmulatorFrontEnds",
            dependencies: ["AliyunECSWire", "TencentCVMWire", "EmulatorCore", "ProviderRegistry"],
            path: "Sources/Emulator/EmulatorFrontEnds",
            swiftSettings: strictSettings
        ),
        // Signed and mutated requests for the emulator, and the campaign that checks what it promises under them
        // (EmulatorTests and cloud-release-fuzz); Crypto signs as the SDKs sign.
        .target(
            name: "EmulatorFuzzing",
            dependencies: ["EmulatorCore", "EmulatorFrontEnds", "ProviderRegistry", "ReleaseCore", "Reporting"],
            path: "Sources/Emulator/EmulatorFuzzing",
            swiftSettings: strictSettings
        ),
        // The proxy mode's certificate authority: a CA generated once and kept on disk, and a leaf per API host name.
        .target(
            name: "EmulatorTLS",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Emulator/EmulatorTLS",
            swiftSettings: strictSettings
        ),
        // The emulator's server: a thin SwiftNIO HTTP/1.1 adapter over EmulatorCore.
        .executableTarget(
            name: "cloud-release-emulator",
            dependencies: [
                "EmulatorCore", "EmulatorFrontEnds", "TencentCVMWire", "EmulatorTLS", "ProviderRegistry", "ReleaseCore",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Sources/Emulator/cloud-release-emulator",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "cloud-release-fuzz",
            dependencies: [
                "Scenarios", "FleetReplay", "ProviderRegistry", "Reporting", "ReleaseCore", "Inventory", "EmulatorCore",
                "EmulatorFrontEnds", "EmulatorFuzzing",
            ],
            path: "Fuzz/Harness",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "release-automation-example",
            dependencies: ["ReleaseTestKit", "AliyunECS", "TencentCVM", "ReleaseCore"],
            path: "Examples/ReleaseAutomation",
            swiftSettings: strictSettings
        ),
        // Shared by the test targets: the repository's root, the built CLI, the providers' refusal check.
        .target(
            name: "TestSupport",
            dependencies: ["ReleaseCore"],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseCoreTests",
            dependencies: ["ReleaseCore", "ProviderRegistry", "TencentCVM", "ReleaseTestKit"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AliyunECSTests",
            dependencies: ["AliyunECS", "ReleaseCore", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TencentCVMTests",
            dependencies: ["TencentCVM", "ReleaseCore", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseTestKitTests",
            dependencies: ["ReleaseTestKit", "AliyunECS", "TencentCVM", "ReleaseCore"],
            swiftSettings: strictSettings
        ),
        // A made-up third provider defined here alone, run through every layer (issue 19, item 6).
        .testTarget(
            name: "MadeUpProviderTests",
            dependencies: [
                "ReleaseCore", "ProviderRegistry", "Scenarios", "ReleaseComparison", "Inventory", "ListingCodec",
                "Reporting", "EmulatorCore",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ProviderRegistryTests",
            dependencies: [
                "ProviderRegistry", "AliyunECS", "TencentCVM", "ReleaseCore", "FleetReplay", "Scenarios",
                "ReleaseComparison", "Reporting", "TestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FleetReplayTests",
            dependencies: [
                "FleetReplay", "ZlibGzip", "ProviderRegistry", "Scenarios", "ReleaseComparison", "Reporting",
                "ReleaseTestKit",
                "AliyunECS", "TencentCVM", "ReleaseCore", "TestSupport",
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ScenariosTests",
            dependencies: [
                "Scenarios", "FleetReplay", "ProviderRegistry", "ReleaseComparison", "Reporting", "ReleaseTestKit",
                "AliyunECS", "TencentCVM", "ReleaseCore", "TestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseComparisonTests",
            dependencies: [
                "ReleaseComparison", "Scenarios", "ProviderRegistry", "Reporting", "ReleaseCore", "TestSupport",
            ],
            swiftSettings: strictSettings
        ),
        // End to end: the built CLI against golden outputs, its errors and languages.
        .testTarget(
            name: "CLITests",
            dependencies: [
                "FleetReplay", "ProviderRegistry", "ReleaseComparison", "ReleaseCore", "Reporting", "Scenarios",
                "TestSupport",
            ],
            exclude: ["Golden"],
            swiftSettings: strictSettings
        ),
        // The documents: every Docs/Library.md block compiles and runs; the help and docs match the code.
        .testTarget(
            name: "DocsTests",
            dependencies: [
                "AliyunECS", "FleetReplay", "ProviderRegistry", "ReleaseComparison", "ReleaseCore", "Reporting",
                "Scenarios", "TencentCVM", "TestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "InventoryTests",
            dependencies: ["Inventory", "ProviderRegistry", "ReleaseCore", "Reporting", "AliyunECS", "TencentCVM"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EmulatorTests",
            dependencies: [
                "EmulatorCore", "EmulatorFrontEnds", "AliyunECSWire", "TencentCVMWire", "EmulatorFuzzing",
                "ProviderRegistry", "AliyunECS", "TencentCVM", "ReleaseCore",
                "Reporting", "Inventory", "EmulatorTLS", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
