import ListingCodec
public import ProviderRegistry
public import ReleaseCore
public import Reporting

/// What will happen to one of the user's instances, from the models.
public struct InstanceForecast: Hashable, Sendable, Codable {
    /// A deadline ahead: its kind, when, and whether the time is only an upper bound (the answer does not say
    /// when the bin or the arrears began, so the forecast starts them now: only the deadlines that start sets are
    /// upper bounds; one that follows from the answer's own times, such as a subscription's expiry, is exact).
    public struct Event: Hashable, Sendable, Codable {
        public var kind: String
        public var at: Instant
        public var atTheLatest: Bool
    }

    public var instance: String
    public var provider: String
    public var file: String
    public var path: String
    public var state: String
    public var events: [Event]
    /// Whether release protection would refuse a manual release now.
    public var protectionBlocksRelease: Bool
    /// What the provider's most direct manual release would do now: `→ released`, `→ recycleBin, restorable
    /// for 2h`, or `refused: CODE`.
    public var releaseNow: String
    /// The source codes of the rules behind `releaseNow`.
    public var releaseRules: [String]
    /// Resources that outlive a release now and keep billing (kept disks, addresses, snapshots).
    public var outlives: [String]
    public var notes: [String]
    /// With prices: what the instance's running meters cost a day now, and after a release now once the provider
    /// lets go of it (what outlives it), exact, in `currency` (Docs/Prices.md).
    public var costPerDayNow: String?
    public var costPerDayAfterRelease: String?
    public var currency: String?
}

/// Every forecast, the problems met reading the files, and totals.
public struct Forecast: Hashable, Sendable, Codable {
    public struct Totals: Hashable, Sendable, Codable {
        public var instances: [String: Int]
        /// Instances a deadline releases within 24 h of `now`.
        public var releasedWithin24Hours: Int
        public var protected: Int
        /// Instances whose release now would leave resources billing.
        public var leaveResourcesBilling: Int
    }

    public var format = "cloud-release forecast v1"
    public var now: Instant
    public var instances: [InstanceForecast]
    public var problems: [String]
    public var totals: Totals

    /// Forecasts everything read from the user's files, under the given models (seed profiles by default).
    public static func run(
        _ reading: InventoryReading,
        at now: Instant,
        models: [ProviderModel] = ProviderModel.seedModels,
        prices: PriceBook? = nil,
        language: Language = .en
    ) -> Forecast {
        run(
            reading.instances,
            timers: reading.timers,
            resources: reading.resources,
            problems: reading.problems,
            at: now,
            models: models,
            prices: prices,
            language: language
        )
    }

    /// Forecasts every instance read, under the given models (seed profiles by default).
    public static func run(
        _ inventory: [InventoryInstance],
        timers: [String: Instant],
        resources: [String: InventoryResources] = [:],
        problems: [InventoryProblem],
        at now: Instant,
        models: [ProviderModel] = ProviderModel.seedModels,
        prices: PriceBook? = nil,
        language: Language = .en
    ) -> Forecast {
        var forecasts: [InstanceForecast] = []
        var problemTexts = problems.map { $0.description(in: language) }
        for listed in inventory {
            let item = attaching(resources, to: listed, models: models)
            guard
                let model = models.first(where: { $0.id == item.provider })
                    ?? ProviderModel.Kind(id: item.provider).map({ ProviderModel($0) })
            else {
                problemTexts.append(
                    InventoryProblem(
                        file: item.file,
                        path: item.path,
                        reason: "no registered provider is \(item.provider)",
                        chineseReason: "没有已注册的云厂商 \(item.provider)"
                    ).description(in: language)
                )
                continue
            }
            let table = prices?.table(for: model.id)
            switch forecast(
                item,
                timer: timers[item.description.id],
                model: model,
                at: now,
                prices: table,
                language: language
            ) {
            case .success(let forecast): forecasts.append(forecast)
            case .failure(let problem): problemTexts.append(problem.description(in: language))
            }
        }
        let day = now + .days(1)
        // This package's providers (an instance without a model is forecast on its provider's seed) and the models'.
        let releasing = Set(
            (ProviderModel.Kind.allCases + models.map(\.kind)).deadlineKinds.filter(\.releasesInstance).map(\.rawValue)
        )
        var counts: [String: Int] = [:]
        for forecast in forecasts { counts[forecast.provider, default: 0] += 1 }
        let totals = Totals(
            instances: counts,
            releasedWithin24Hours: forecasts.filter { forecast in
                forecast.events.contains { event in event.at <= day && releasing.contains(event.kind) }
            }.count,
            protected: forecasts.filter(\.protectionBlocksRelease).count,
            leaveResourcesBilling: forecasts.filter { !$0.outlives.isEmpty }.count
        )
        return Forecast(now: now, instances: forecasts, problems: problemTexts, totals: totals)
    }

    /// The instance with what the resource listings say of it: its listed disks (replacing DescribeInstances'
    /// view), the snapshots of those disks and an elastic IP; what no listing says is a note.
    static func attaching(
        _ resources: [String: InventoryResources],
        to item: InventoryInstance,
        models: [ProviderModel] = []
    ) -> InventoryInstance {
        var item = item
        var notes = (english: item.notes, chinese: item.chineseNotes)
        let own = resources[item.description.id]
        if let own, own.disksListed {
            // Merged by DiskId, the listing winning: a paged or filtered listing (or CBS, which lists no local disk)
            // must not drop a disk DescribeInstances showed. A listed system disk replaces the answer's stand-in.
            var disks = item.description.disks
            if own.disks.contains(where: { $0.role == .system }) { disks.removeAll { $0.role == .system } }
            var position: [String: Int] = [:]
            for (index, disk) in disks.enumerated() { position[disk.id] = index }
            for disk in own.disks {
                if let index = position[disk.id] {
                    disks[index] = disk
                } else {
                    position[disk.id] = disks.count
                    disks.append(disk)
                }
            }
            item.description.disks = disks.filter { $0.role == .system } + disks.filter { $0.role != .system }
        }
        let snapshots = item.description.disks.flatMap { resources[$0.id]?.snapshots ?? [] }
        if !snapshots.isEmpty { item.description.snapshots = snapshots }
        // What the provider's DescribeInstances leaves to the listings that said nothing: its codec's words.
        let kind = models.first(where: { $0.id == item.provider })?.kind ?? ProviderModel.Kind(id: item.provider)
        let codec = kind?.inventoryCodec
        for note in codec?.unlistedResourceNotes(
            disksListed: own?.disksListed == true,
            snapshotsFound: !snapshots.isEmpty
        )
            ?? []
        {
            notes.english.append("\(item.file): \(item.path): \(note.english)")
            notes.chinese.append("\(item.file): \(item.path)：\(note.chinese)")
        }
        if own?.hasElasticIP == true { item.description.publicAddress = .elasticIP }
        item.notes = notes.english
        item.chineseNotes = notes.chinese
        return item
    }

    private static func forecast(
        _ item: InventoryInstance,
        timer: Instant?,
        model: ProviderModel,
        at now: Instant,
        prices: PriceTable?,
        language: Language
    ) -> Result<InstanceForecast, InventoryProblem> {
        let zh = language == .zh
        func problem(_ reason: String, _ chinese: String) -> Result<InstanceForecast, InventoryProblem> {
            .failure(InventoryProblem(file: item.file, path: item.path, reason: reason, chineseReason: chinese))
        }
        let scheduled = item.scheduledRelease ?? timer
        if let scheduled, scheduled <= now {
            return problem(
                "the scheduled release \(scheduled.iso8601) is not after \(now.iso8601): the answer is stale",
                "定时释放时间 \(scheduled.iso8601) 不晚于 \(now.iso8601)：答复已过时"
            )
        }
        // The instance's history is rebuilt from an origin before every time the answer gives, so that the
        // models accept what the provider accepted earlier (a schedule's minimum lead, a subscription before expiry).
        var origin = now
        if let scheduled { origin = min(origin, scheduled) }
        if let expiry = item.description.charge.expiresAt { origin = min(origin, expiry) }
        guard let start = origin.checkedAdding(Seconds(-3_600)), Instant.supportedRange.contains(start) else {
            return problem(
                "the times are outside the supported range (years 1970 to 9999)",
                "时间超出支持的范围（1970 至 9999 年）"
            )
        }
        // The deadlines the forecast starts at `now` because the answer does not say when the bin or the arrears
        // began: their times are upper bounds. Every other time follows from the answer's own.
        var assumed: Set<Deadline> = []
        func deadlinesSet(by effects: [Effect]) -> Set<Deadline> {
            Set(effects.compactMap { if case .deadlineSet(let deadline) = $0 { deadline } else { nil } })
        }
        var simulation: Simulation<AnyInstance>
        do {
            let (machine, effects) = try model.launch(item.description, in: .running, at: start)
            simulation = Simulation(machine: machine, launchEffects: effects, at: start)
            if case .live(let phase, let mode) = item.observed {
                if phase == .stopped {
                    try simulation.perform(.stop(force: true, chargingMode: mode), at: start)
                } else if phase != .running {
                    // A transitional state: launched in it (the models settle it on the next event).
                    let (machine, effects) = try model.launch(item.description, in: phase, at: start)
                    simulation = Simulation(machine: machine, launchEffects: effects, at: start)
                }
            }
            if let scheduled { try simulation.perform(.scheduleRelease(at: scheduled), at: start) }
            switch item.observed {
            case .live, .expired:
                simulation.advance(to: now)
            case .recycleBin:
                // In the bin since now at the latest; a subscription whose expiry has passed was returned before it
                // (it would be an expired one otherwise, TM6), so at the latest a second before its expiry.
                var entered = now
                if let expiry = item.description.charge.expiresAt, expiry <= now {
                    entered = expiry + Seconds(-1)
                }
                simulation.advance(to: entered)
                assumed = deadlinesSet(by: try simulation.perform(.release(model.directReleaseFlags), at: entered))
                simulation.advance(to: now)
            case .arrears:
                simulation.advance(to: now)
                assumed = deadlinesSet(by: simulation.handle(.arrearsBegan, at: now))
            }
        } catch {
            return problem(
                "the \(model) model does not accept this instance as the answer shows it: \(error.code): \(error.message)",
                "\(model) 模型不接受答复中所示的此实例：\(error.code)：\(error.chineseMessage ?? error.message)"
            )
        }
        let machine = simulation.machine
        let events = machine.pendingDeadlines.map {
            InstanceForecast.Event(kind: $0.kind.rawValue, at: $0.at, atTheLatest: assumed.contains($0))
        }
        let outcome = simulation.machine.outcome(of: .release(model.directReleaseFlags), at: now)
        let releaseNow: String
        var outlives: [String] = []
        func perDay(_ meters: RunningMeters, _ table: PriceTable) -> String {
            meters.all.reduce(Money.zero(table.currency)) { $0 + table.cost(of: .days(1), $1.family) }.decimalText
        }
        var costAfter = prices.map { perDay(simulation.machine.runningMeters, $0) }
        if let error = outcome.error {
            releaseNow = (zh ? "拒绝：" : "refused: ") + error.code.rawValue
        } else {
            var after = simulation.machine
            _ = after.advance(to: now)
            var text = "→ \(language.term(outcome.phaseAfter.rawValue, provider: model.kind.rawValue))"
            if (try? after.perform(.release(model.directReleaseFlags), at: now)) != nil {
                if let until = after.restorableUntil {
                    text += zh ? "，\(language.duration("\(until - now)"))内可恢复" : ", restorable for \(until - now)"
                }
                // What outlives it is decided when it is finally released (a recycle bin first lets go of it).
                while after.phase != .released, let next = after.pendingDeadlines.first {
                    _ = after.advance(to: next.at)
                }
                for outcome in after.resourceFates where outcome.fate != .released {
                    outlives.append(describe(outcome.resource, outcome.fate, in: item.description, language: language))
                }
                costAfter = prices.map { perDay(after.runningMeters, $0) }
            }
            releaseNow = text
        }
        let blocked = outcome.error?.code.rawValue == model.providerType.protectionCode.rawValue
        return .success(
            InstanceForecast(
                instance: item.description.id,
                provider: model.description,
                file: item.file,
                path: item.path,
                state: item.stateText,
                events: events,
                protectionBlocksRelease: blocked,
                releaseNow: releaseNow,
                releaseRules: outcome.error.map { [$0.source.code] } ?? outcome.effects.citedSources,
                outlives: outlives,
                notes: zh && item.chineseNotes.count == item.notes.count ? item.chineseNotes : item.notes,
                costPerDayNow: prices.map { perDay(simulation.machine.runningMeters, $0) },
                costPerDayAfterRelease: costAfter,
                currency: prices?.currency
            )
        )
    }

    private static func describe(
        _ resource: Resource,
        _ fate: ResourceFate,
        in description: InstanceDescription,
        language: Language
    ) -> String {
        let zh = language == .zh
        let what: String
        switch resource {
        case .disk(let index):
            let disk = index < description.disks.count ? description.disks[index] : nil
            let role = disk?.role.rawValue ?? ""
            let roleText = zh ? (["system": "系统盘", "data": "数据盘", "local": "本地盘"][role] ?? "云盘") : "\(role) disk"
            what = "\(roleText) \(disk?.id ?? "#\(index)")"
        case .snapshot(let index):
            let id = index < description.snapshots.count ? description.snapshots[index].id : "#\(index)"
            what = "\(zh ? "快照" : "snapshot") \(id)"
        case .publicAddress:
            what =
                description.publicAddress == .elasticIP
                ? (zh ? "弹性公网 IP" : "elastic IP") : (zh ? "公网 IP" : "public IP")
        }
        return zh ? "\(what)（\(language.term(fate.rawValue))）" : "\(what) (\(fate.rawValue))"
    }
}
