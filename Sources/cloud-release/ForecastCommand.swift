import ArgumentParser
import Inventory
import ProviderRegistry
import ReleaseCore
import Reporting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast your own instances from the providers' DescribeInstances answers.",
        discussion: """
            Reads the JSON the providers' tools print: the Aliyun CLI or SDKs' DescribeInstances \
            (Instances.Instance[]), tccli's or the CVM SDK's DescribeInstances (InstanceSet[], with or without \
            Response), and DescribeInstancesActionTimer (ActionTimers[], for scheduled destructions). Files of \
            either provider, mixed. For each instance: what happens next and when, whether protection blocks a \
            manual release, what a release now would do, and what outlives it and keeps billing. What an answer \
            does not say is listed with its JSON path, never guessed.

            Examples:
              aliyun ecs DescribeInstances --RegionId cn-hangzhou > ecs.json
              tccli cvm DescribeInstances > cvm.json
              tccli cvm DescribeInstancesActionTimer > timers.json
              cloud-release forecast ecs.json cvm.json timers.json
              cloud-release forecast --at 2026-12-01T00:00:00Z --format json cvm.json
            """
    )

    @Argument(
        help: ArgumentHelp("DescribeInstances or DescribeInstancesActionTimer answers (JSON).", valueName: "file")
    )
    var files: [String]

    @Option(help: "Forecast from this instant (YYYY-MM-DDTHH:MM:SSZ); default: now.")
    var at: String?

    @OptionGroup var models: ModelOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var pricing: PriceOptions

    @OptionGroup var language: LanguageOption

    func run() throws {
        let now: Instant
        if let at {
            guard let instant = Instant(iso8601: at) else {
                throw ValidationError(
                    Speech.say(
                        "--at \(at.prefix(40)): expected YYYY-MM-DDTHH:MM:SSZ between 1970 and 9999",
                        "--at \(at.prefix(40))：应为 1970 至 9999 年之间的 YYYY-MM-DDTHH:MM:SSZ"
                    )
                )
            }
            now = instant
        } else {
            now = Instant(secondsSince1970: Int64(Date().timeIntervalSince1970))
        }
        var reading = InventoryReading()
        for file in files { reading.read(Data(try readInputFile(file)), file: file, at: now) }
        let forecast = Forecast.run(
            reading,
            at: now,
            models: models.chosen(default: ProviderModel.seedModels),
            prices: try pricing.book(),
            language: language.language
        )
        try Output.write(forecast.rendered(as: output.format, width: Terminal.width, language: language.language))
    }
}
