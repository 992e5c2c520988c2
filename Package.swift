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
        .executable(name: "cloud-release", targets: ["cloud-release"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        .target(name: "ReleaseCore", swiftSettings: strictSettings),
        .target(name: "AliyunECS", dependencies: ["ReleaseCore"], swiftSettings: strictSettings),
        .target(name: "TencentCVM", dependencies: ["ReleaseCore"], swiftSettings: strictSettings),
        // Output forms shared by the reports: text layout by display width, stable JSON.
        .target(name: "Reporting", swiftSettings: strictSettings),
        // The one registry of providers: a provider module plus one case here.
        .target(
            name: "ProviderRegistry",
            dependencies: ["ReleaseCore", "AliyunECS", "TencentCVM"],
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
        // The providers side by side, derived from probes; one-question explanations.
        .target(
            name: "ReleaseComparison",
            dependencies: ["ReleaseCore", "ProviderRegistry", "Reporting", "Scenarios"],
            swiftSettings: strictSettings
        ),
        .target(name: "ReleaseTestKit", dependencies: ["ReleaseCore"], swiftSettings: strictSettings),
        .executableTarget(
            name: "cloud-release",
            dependencies: [
                "ReleaseComparison", "Scenarios", "FleetReplay", "ProviderRegistry", "Reporting", "ReleaseCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "cloud-release-fuzz",
            dependencies: ["Scenarios", "FleetReplay", "ProviderRegistry", "Reporting", "ReleaseCore"],
            path: "Fuzz/Harness",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "release-automation-example",
            dependencies: ["ReleaseTestKit", "AliyunECS", "TencentCVM", "ReleaseCore"],
            path: "Examples/ReleaseAutomation",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "ReleaseCoreTests", dependencies: ["ReleaseCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "AliyunECSTests",
            dependencies: ["AliyunECS", "ReleaseCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TencentCVMTests",
            dependencies: ["TencentCVM", "ReleaseCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseTestKitTests",
            dependencies: ["ReleaseTestKit", "AliyunECS", "TencentCVM", "ReleaseCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseComparisonTests",
            dependencies: [
                "ReleaseComparison", "Scenarios", "FleetReplay", "ProviderRegistry", "Reporting", "ReleaseTestKit",
                "AliyunECS", "TencentCVM", "ReleaseCore",
            ],
            exclude: ["Golden"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
