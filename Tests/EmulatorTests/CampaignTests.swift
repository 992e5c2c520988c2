import EmulatorFuzzing
import Foundation
import Testing

/// The emulator's promises over random requests (``EmulatorCampaign``): no 5xx or stall, a refused request
/// changes neither the snapshot nor the journal, and the journal always reloads to the same snapshot.
/// Runs: CLOUDRELEASE_EMULATOR_CAMPAIGN_RUNS (default 2,000 requests per seed).
@Suite("Emulator campaign")
struct CampaignTests {
    static let requests = Int(ProcessInfo.processInfo.environment["CLOUDRELEASE_EMULATOR_CAMPAIGN_RUNS"] ?? "") ?? 2_000

    @Test("refused ⇒ unchanged, reload ⇒ identical, no 5xx, bounded nonces, over random requests", arguments: [1, 2])
    func campaign(seed: UInt64) {
        var campaign = EmulatorCampaign(seed: seed, requests: Self.requests)
        campaign.stallSeconds = 5
        let report = campaign.run()
        #expect(report.findings.isEmpty, "\(report.findings.prefix(5).map(\.description).joined(separator: "\n"))")
        // The campaign reached the actions: both outcomes happen, and the journal was reloaded.
        #expect(report.accepted > report.requests / 10)
        #expect(report.refused > report.requests / 10)
        #expect(report.reloads >= 2)
    }
}
