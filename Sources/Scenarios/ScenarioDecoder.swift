public import ProviderRegistry
import ReleaseCore
import Reporting

extension Scenario {
    /// Parses and validates a scenario file's text; every problem names `file:line:column`, the field and why.
    public static func decode(
        _ text: String,
        file: String,
        providers: [ProviderModel.Kind] = ProviderModel.Kind.allCases
    ) throws(ScenarioError) -> Scenario {
        try decode(utf8: Array(text.utf8), file: file, providers: providers)
    }

    /// Parses and validates a scenario file's bytes: UTF-8, with or without a byte-order mark. Bytes that are
    /// not UTF-8 are an error at their position, never replaced. Every problem is reported, not only the
    /// first (see ``ScenarioError/more``). The providers a file may name are `providers` (this package's by
    /// default; pass a list with `ProviderModel.Kind.registering(_:among:)`'s kinds for others).
    public static func decode(
        utf8 bytes: [UInt8],
        file: String,
        providers: [ProviderModel.Kind] = ProviderModel.Kind.allCases
    ) throws(ScenarioError) -> Scenario {
        let root: ParsedJSON.Positioned
        do {
            root = try PositionedJSONParser.parse(utf8: bytes)
        } catch {
            var problem = ScenarioError(
                file: file,
                line: error.line,
                column: error.column,
                field: "",
                reason: error.reason
            )
            problem.chineseReason = error.chineseReason
            throw problem
        }
        var scenario = try ScenarioDecoder(file: file, providers: providers).scenario(root)
        scenario.file = file
        return scenario
    }
}

/// Walks a positioned JSON tree into a ``Scenario``, strictly: unknown members are errors.
struct ScenarioDecoder {
    let file: String
    /// The providers the file may name, and with them the flags, events and deadline kinds it may use.
    let providers: [ProviderModel.Kind]

    private func fail(
        _ value: ParsedJSON.Positioned,
        _ field: String,
        _ reason: String,
        _ chinese: String
    ) -> ScenarioError {
        var problem = ScenarioError(file: file, line: value.line, column: value.column, field: field, reason: reason)
        problem.chineseReason = chinese
        return problem
    }

    /// A value of the wrong kind: `expected <english>, found <its kind>`, in both languages.
    private func expected(
        _ value: ParsedJSON.Positioned,
        _ field: String,
        _ english: String,
        _ chinese: String
    ) -> ScenarioError {
        fail(
            value,
            field,
            "expected \(english), found \(value.value.kindName)",
            "此处应为\(chinese)，实际是\(value.value.chineseKindName)"
        )
    }

    /// A time or duration refusal, in both languages.
    private func fail(_ value: ParsedJSON.Positioned, _ field: String, _ refusal: TimeText.Refusal) -> ScenarioError {
        var problem = ScenarioError(
            file: file,
            line: value.line,
            column: value.column,
            field: field,
            reason: refusal.reason
        )
        problem.chineseReason = refusal.chineseReason
        return problem
    }

    private func members(
        _ value: ParsedJSON.Positioned,
        _ field: String,
        allowed: [String]
    ) throws(ScenarioError) -> [String: ParsedJSON.Positioned] {
        guard case .object(let pairs) = value.value else {
            throw expected(value, field, "an object", "对象")
        }
        var result: [String: ParsedJSON.Positioned] = [:]
        for (key, member) in pairs {
            guard case .string(let name) = key.value else { continue }
            guard allowed.contains(name) else {
                throw fail(
                    key,
                    field.isEmpty ? name : "\(field).\(name)",
                    "unknown member (expected one of: \(allowed.joined(separator: ", ")))",
                    "未知成员（应为以下之一：\(allowed.joined(separator: "、"))）"
                )
            }
            result[name] = member
        }
        return result
    }

    private func string(_ value: ParsedJSON.Positioned, _ field: String) throws(ScenarioError) -> String {
        guard case .string(let text) = value.value else {
            throw expected(value, field, "a string", "字符串")
        }
        return text
    }

    private func bool(_ value: ParsedJSON.Positioned, _ field: String) throws(ScenarioError) -> Bool {
        guard case .bool(let flag) = value.value else {
            throw expected(value, field, "true or false", " true 或 false ")
        }
        return flag
    }

    private func array(_ value: ParsedJSON.Positioned, _ field: String) throws(ScenarioError) -> [ParsedJSON.Positioned]
    {
        guard case .array(let elements) = value.value else {
            throw expected(value, field, "an array", "数组")
        }
        return elements
    }

    private func instant(
        _ value: ParsedJSON.Positioned,
        _ field: String,
        start: Instant
    ) throws(ScenarioError)
        -> Instant
    {
        let text = try string(value, field)
        switch TimeText.parseInstant(text, start: start) {
        case .success(let time): return time
        case .failure(let refusal): throw fail(value, field, refusal)
        }
    }

    private func oneOf<T>(
        _ value: ParsedJSON.Positioned,
        _ field: String,
        _ choices: [(String, T)]
    ) throws(ScenarioError) -> T {
        let text = try string(value, field)
        guard let match = choices.first(where: { $0.0 == text }) else {
            throw fail(
                value,
                field,
                "\"\(text)\" is not one of: \(choices.map(\.0).joined(separator: ", "))",
                "“\(text)”不是以下之一：\(choices.map(\.0).joined(separator: "、"))"
            )
        }
        return match.1
    }

    func scenario(_ root: ParsedJSON.Positioned) throws(ScenarioError) -> Scenario {
        var problems: [ScenarioError] = []
        /// Runs one independent part of the check, keeping its problem and going on with the next.
        func checked<T>(_ body: () throws(ScenarioError) -> T) -> T? {
            do throws(ScenarioError) {
                return try body()
            } catch {
                problems.append(error)
                return nil
            }
        }
        let top = try members(
            root,
            "",
            allowed: [
                "$schema", "name", "description", "start", "providers", "prices", "instance", "instances", "steps",
            ]
        )
        let name = checked { () throws(ScenarioError) -> String in
            guard let nameValue = top["name"] else {
                throw fail(root, "name", "missing (every scenario has a name)", "缺少（每个场景都要有名称）")
            }
            return try string(nameValue, "name")
        }
        let summary = checked { () throws(ScenarioError) -> String? in
            try top["description"].map { (value) throws(ScenarioError) in try string(value, "description") }
        }
        var start = Instant.referenceStart
        if let value = top["start"] {
            let parsed = checked { () throws(ScenarioError) -> Instant in
                let text = try string(value, "start")
                guard let parsed = Instant(iso8601: text) else {
                    throw fail(
                        value,
                        "start",
                        "\"\(TimeText.escaped(text))\" is not a UTC time YYYY-MM-DDTHH:MM:SSZ from 1970 to 9999",
                        "“\(TimeText.escaped(text))”不是 1970 至 9999 年的 UTC 时间 YYYY-MM-DDTHH:MM:SSZ"
                    )
                }
                return parsed
            }
            if let parsed { start = parsed }
        }
        var models = providers.seedModels
        if let value = top["providers"] {
            models =
                checked { () throws(ScenarioError) -> [ProviderModel] in
                    var models: [ProviderModel] = []
                    for (index, element) in try array(value, "providers").enumerated() {
                        let text = try string(element, "providers[\(index)]")
                        guard let model = ProviderModel(parsing: text, among: providers) else {
                            throw fail(
                                element,
                                "providers[\(index)]",
                                "\"\(TimeText.escaped(text))\" is not a provider model ("
                                    + providers.allModels.map(\.description).joined(separator: ", ") + ")",
                                "“\(TimeText.escaped(text))”不是云厂商模型（"
                                    + providers.allModels.map(\.description).joined(separator: "、") + "）"
                            )
                        }
                        models.append(model)
                    }
                    guard !models.isEmpty else {
                        throw fail(value, "providers", "needs at least one provider", "至少需要一个云厂商")
                    }
                    return models
                } ?? models
        }
        let prices = top["prices"].flatMap { value in
            checked { () throws(ScenarioError) -> PriceBook in try self.prices(value) }
        }
        let launched = checked { () throws(ScenarioError) -> [Scenario.Launch] in
            try self.instances(top, root: root, start: start)
        }
        var steps: [Scenario.Step] = []
        if let stepsValue = top["steps"] {
            var previous = start
            let elements = checked { () throws(ScenarioError) in try array(stepsValue, "steps") } ?? []
            for (index, element) in elements.enumerated() {
                // Steps are checked against the instances; without valid ones only the instances are reported.
                guard let launched else { break }
                let step = checked { () throws(ScenarioError) in
                    try self.step(
                        element,
                        "steps[\(index)]",
                        start: start,
                        instances: launched,
                        previous: previous,
                        pricing: Pricing(book: prices, models: models, given: top["prices"] != nil)
                    )
                }
                if let step {
                    previous = step.at
                    steps.append(step)
                }
            }
        } else {
            problems.append(fail(root, "steps", "missing", "缺少"))
        }
        if var first = problems.first {
            first.more = Array(problems.dropFirst())
            throw first
        }
        guard let name, let launched, let first = launched.first else {
            preconditionFailure("a missing name or instance is reported as a problem above")
        }
        var scenario = Scenario(
            name: name,
            summary: summary ?? nil,
            start: start,
            models: models,
            instance: first.description,
            launchPhase: first.phase,
            moreInstances: Array(launched.dropFirst()),
            steps: steps
        )
        scenario.prices = prices
        return scenario
    }

    /// The file's prices: the price object of Docs/Prices.md, read by ``PriceBook/reading(_:)``; a problem is
    /// reported at the value it names.
    private func prices(_ value: ParsedJSON.Positioned) throws(ScenarioError) -> PriceBook {
        func priceValue(_ node: ParsedJSON.Positioned) -> PriceValue {
            switch node.value {
            case .string(let text): return .text(text)
            case .number(let number): return .number(number)
            case .object(let pairs):
                var object: [String: PriceValue] = [:]
                for (key, member) in pairs {
                    if case .string(let name) = key.value { object[name] = priceValue(member) }
                }
                return .object(object)
            case .null, .bool, .array: return .other
            }
        }
        guard case .object(let object) = priceValue(value) else {
            throw expected(value, "prices", "an object of prices (Docs/Prices.md)", "价格对象（Docs/Prices.md）")
        }
        do throws(PriceObjectProblem) {
            return try PriceBook.reading(object)
        } catch {
            // The value the problem names: follow its keys through the positioned tree.
            var node = value
            for key in error.path {
                guard case .object(let pairs) = node.value,
                    let member = pairs.last(where: {
                        if case .string(let name) = $0.key.value { name == key } else { false }
                    })?.value
                else { break }
                node = member
            }
            throw fail(
                node,
                (["prices"] + error.path).joined(separator: "."),
                error.reason,
                error.chineseReason
            )
        }
    }

    /// What a step's `cost` expectations are checked against: the file's prices, and the models it runs.
    struct Pricing {
        var book: PriceBook?
        var models: [ProviderModel]
        /// Whether the file has a `prices` member (a bad one is reported there, not at each cost).
        var given: Bool
    }

    /// The scenario's instances: `instance` (one) or `instances` (several, each with its own unique `id`), not
    /// both.
    private func instances(
        _ top: [String: ParsedJSON.Positioned],
        root: ParsedJSON.Positioned,
        start: Instant
    ) throws(ScenarioError) -> [Scenario.Launch] {
        switch (top["instance"], top["instances"]) {
        case (nil, nil):
            throw fail(root, "instance", "missing (or \"instances\", for several)", "缺少（多个实例时用 \"instances\"）")
        case (_?, let several?):
            throw fail(
                several,
                "instances",
                "a scenario has \"instance\" or \"instances\", not both",
                "场景只能有 \"instance\" 或 \"instances\"，不能两者都有"
            )
        case (let one?, nil):
            return [try instance(one, "instance", start: start)]
        case (nil, let several?):
            let elements = try array(several, "instances")
            guard (1...64).contains(elements.count) else {
                throw fail(several, "instances", "from 1 to 64 instances", "1 至 64 个实例")
            }
            var launches: [Scenario.Launch] = []
            for (index, element) in elements.enumerated() {
                let field = "instances[\(index)]"
                guard case .object(let pairs) = element.value,
                    pairs.contains(where: { if case .string("id") = $0.key.value { true } else { false } })
                else {
                    throw fail(
                        element,
                        "\(field).id",
                        "each of several instances needs its own id",
                        "多个实例时每个实例都需要自己的 id"
                    )
                }
                let launch = try instance(element, field, start: start)
                guard !launches.contains(where: { $0.description.id == launch.description.id }) else {
                    throw fail(element, "\(field).id", "instance ids must be unique", "实例 id 不能重复")
                }
                launches.append(launch)
            }
            return launches
        }
    }

    private func instance(
        _ value: ParsedJSON.Positioned,
        _ prefix: String,
        start: Instant
    ) throws(ScenarioError) -> Scenario.Launch {
        let fields = try members(
            value,
            prefix,
            allowed: [
                "id", "region", "charge", "expires", "spot", "protected", "phase", "disks", "snapshots",
                "publicAddress",
            ]
        )
        // The default system disk is named after the instance (`<id>-system`, Docs/Scenarios.md).
        let id = try fields["id"].map { (v) throws(ScenarioError) in try string(v, "\(prefix).id") } ?? "scenario"
        var description = InstanceDescription(id: id)
        if let region = fields["region"] { description.region = try string(region, "\(prefix).region") }
        let charge =
            try fields["charge"].map { (v) throws(ScenarioError) in
                try oneOf(v, "\(prefix).charge", [("postpaid", false), ("prepaid", true)])
            } ?? false
        if charge {
            guard let expires = fields["expires"] else {
                throw fail(
                    value,
                    "\(prefix).expires",
                    "a prepaid instance needs \"expires\" (e.g. \"+30d\")",
                    "包年包月实例需要 \"expires\"（例如 \"+30d\"）"
                )
            }
            let expiresAt = try instant(expires, "\(prefix).expires", start: start)
            guard expiresAt >= start else {
                throw fail(
                    expires,
                    "\(prefix).expires",
                    "\(expiresAt) is before the scenario's start (\(start))",
                    "\(expiresAt) 早于场景的开始时间（\(start)）"
                )
            }
            description.charge = .subscription(expiresAt: expiresAt)
        } else if let expires = fields["expires"] {
            throw fail(expires, "\(prefix).expires", "only a prepaid instance expires", "只有包年包月实例会到期")
        }
        if let spot = fields["spot"] { description.isSpot = try bool(spot, "\(prefix).spot") }
        if let protected = fields["protected"] { description.isProtected = try bool(protected, "\(prefix).protected") }
        var phase = LaunchPhase.running
        if let value = fields["phase"] {
            phase = try oneOf(value, "\(prefix).phase", LaunchPhase.allCases.map { ($0.rawValue, $0) })
        }
        if let disksValue = fields["disks"] {
            description.disks = []
            for (index, element) in try array(disksValue, "\(prefix).disks").enumerated() {
                let field = "\(prefix).disks[\(index)]"
                let disk = try members(
                    element,
                    field,
                    allowed: ["id", "role", "deleteWithInstance", "elastic", "deleteAutoSnapshots"]
                )
                guard let id = disk["id"] else { throw fail(element, "\(field).id", "missing", "缺少") }
                guard let role = disk["role"] else { throw fail(element, "\(field).role", "missing", "缺少") }
                description.disks.append(
                    Disk(
                        id: try string(id, "\(field).id"),
                        role: try oneOf(role, "\(field).role", DiskRole.allCases.map { ($0.rawValue, $0) }),
                        deleteWithInstance: try disk["deleteWithInstance"].map { (v) throws(ScenarioError) in
                            try bool(v, "\(field).deleteWithInstance")
                        } ?? true,
                        isElastic: try disk["elastic"].map { (v) throws(ScenarioError) in
                            try bool(v, "\(field).elastic")
                        }
                            ?? false,
                        deleteAutoSnapshots: try disk["deleteAutoSnapshots"].map { (v) throws(ScenarioError) in
                            try bool(v, "\(field).deleteAutoSnapshots")
                        } ?? true
                    )
                )
            }
            guard description.disks.count <= 64 else {
                throw fail(disksValue, "\(prefix).disks", "at most 64 disks", "最多 64 块云盘")
            }
            if Set(description.disks.map(\.id)).count != description.disks.count {
                throw fail(disksValue, "\(prefix).disks", "disk ids must be unique", "云盘 id 不能重复")
            }
        }
        if let snapshotsValue = fields["snapshots"] {
            for (index, element) in try array(snapshotsValue, "\(prefix).snapshots").enumerated() {
                let field = "\(prefix).snapshots[\(index)]"
                let snapshot = try members(element, field, allowed: ["id", "disk", "kind"])
                guard let id = snapshot["id"], let disk = snapshot["disk"], let kind = snapshot["kind"] else {
                    throw fail(element, field, "a snapshot needs id, disk and kind", "快照需要 id、disk 和 kind")
                }
                let diskID = try string(disk, "\(field).disk")
                guard description.disks.contains(where: { $0.id == diskID }) else {
                    throw fail(
                        disk,
                        "\(field).disk",
                        "no disk \"\(diskID)\" on the instance",
                        "实例上没有云盘“\(diskID)”"
                    )
                }
                description.snapshots.append(
                    Snapshot(
                        id: try string(id, "\(field).id"),
                        diskID: diskID,
                        kind: try oneOf(kind, "\(field).kind", SnapshotKind.allCases.map { ($0.rawValue, $0) })
                    )
                )
            }
            guard description.snapshots.count <= 64 else {
                throw fail(snapshotsValue, "\(prefix).snapshots", "at most 64 snapshots", "最多 64 个快照")
            }
            if Set(description.snapshots.map(\.id)).count != description.snapshots.count {
                throw fail(snapshotsValue, "\(prefix).snapshots", "snapshot ids must be unique", "快照 id 不能重复")
            }
        }
        if let address = fields["publicAddress"] {
            description.publicAddress = try oneOf(
                address,
                "\(prefix).publicAddress",
                PublicAddress.allCases.map { ($0.rawValue, $0) }
            )
        }
        return Scenario.Launch(description, phase: phase)
    }

    static let commands = CommandWord.allCases.map(\.rawValue)

    private func step(
        _ value: ParsedJSON.Positioned,
        _ field: String,
        start: Instant,
        instances: [Scenario.Launch],
        previous: Instant,
        pricing: Pricing
    ) throws(ScenarioError) -> Scenario.Step {
        let fields = try members(
            value,
            field,
            allowed: [
                "at", "command", "event", "flags", "chargingMode", "force", "time", "expect", "note", "order",
                "instance",
                "instances", "batch",
            ]
        )
        var at = previous
        if let atValue = fields["at"] {
            at = try instant(atValue, "\(field).at", start: start)
            guard at >= previous else {
                throw fail(
                    atValue,
                    "\(field).at",
                    "\(at) is earlier than the step before (\(previous)); steps run in time order",
                    "\(at) 早于上一步（\(previous)）；步骤须按时间顺序"
                )
            }
        }
        if fields["command"] != nil && fields["event"] != nil {
            throw fail(
                value,
                field,
                "a step has a command or an event, not both",
                "一个步骤只能有 command 或 event，不能两者都有"
            )
        }
        var action: Scenario.Step.Action?
        if let commandValue = fields["command"] {
            let name = try oneOf(commandValue, "\(field).command", Self.commands.map { ($0, $0) })
            action = .command(try command(name, fields, field, start: start, at: commandValue))
        } else {
            for key in ["flags", "chargingMode", "force", "time"] where fields[key] != nil {
                throw fail(fields[key]!, "\(field).\(key)", "only a command takes \(key)", "只有 command 步骤可以带 \(key)")
            }
        }
        if let eventValue = fields["event"] {
            let event: Event = try oneOf(
                eventValue,
                "\(field).event",
                providers.namedEvents.map { ($0.name, $0.event) }
            )
            action = .event(event)
        }
        let (targets, batch) = try self.targets(fields, field, step: value, action: action, instances: instances)
        var expectations: [Scenario.Expectation] = []
        if let expectValue = fields["expect"] {
            // An object, or an array of them (one per instance checked).
            let objects: [(ParsedJSON.Positioned, String)]
            if case .array(let elements) = expectValue.value {
                objects = elements.enumerated().map { ($1, "\(field).expect[\($0)]") }
            } else {
                objects = [(expectValue, "\(field).expect")]
            }
            for (object, objectField) in objects {
                expectations += try expect(
                    object,
                    objectField,
                    start: start,
                    instances: instances,
                    targets: targets,
                    pricing: pricing
                )
            }
            if action == nil && expectations.contains(where: { $0.outcome != nil }) {
                throw fail(
                    expectValue,
                    "\(field).expect.error",
                    "only a command step can expect an error",
                    "只有 command 步骤可以预期错误"
                )
            }
        }
        let note = try fields["note"].map { (v) throws(ScenarioError) in try string(v, "\(field).note") }
        // Within one second: after the deadlines due then (the engines' order, the default) or before them.
        var beforeDeadlines = false
        if let orderValue = fields["order"] {
            beforeDeadlines = try oneOf(
                orderValue,
                "\(field).order",
                [("after-deadlines", false), ("before-deadlines", true)]
            )
            if action == nil {
                throw fail(
                    orderValue,
                    "\(field).order",
                    "only a command or event step has an order within its second",
                    "只有 command 或 event 步骤才有同一秒内的先后"
                )
            }
        }
        return Scenario.Step(
            line: value.line,
            at: at,
            action: action,
            expectations: expectations,
            note: note,
            beforeDeadlines: beforeDeadlines,
            targets: targets,
            batch: batch
        )
    }

    /// The instances a step acts on (`instance`, or `instances` for a batch release) and how a batch is sent.
    /// With one instance in the scenario nothing needs naming; with several a command and an instance's event
    /// name theirs, and an account event (arrears, top-up) reaches every instance and names none.
    private func targets(
        _ fields: [String: ParsedJSON.Positioned],
        _ field: String,
        step: ParsedJSON.Positioned,
        action: Scenario.Step.Action?,
        instances: [Scenario.Launch]
    ) throws(ScenarioError) -> ([Int], Scenario.Batch?) {
        func index(_ value: ParsedJSON.Positioned, _ field: String) throws(ScenarioError) -> Int {
            let id = try string(value, field)
            guard let index = instances.firstIndex(where: { $0.description.id == id }) else {
                let ids = instances.map(\.description.id).joined(separator: ", ")
                throw fail(
                    value,
                    field,
                    "no instance \"\(TimeText.escaped(String(id.prefix(40))))\" (the scenario's: \(ids))",
                    "没有实例“\(TimeText.escaped(String(id.prefix(40))))”（场景中的实例：\(ids)）"
                )
            }
            return index
        }
        if fields["instance"] != nil && fields["instances"] != nil {
            throw fail(
                step,
                field,
                "a step names \"instance\" or \"instances\", not both",
                "一个步骤只能有 \"instance\" 或 \"instances\""
            )
        }
        var targets: [Int] = []
        if let one = fields["instance"] { targets = [try index(one, "\(field).instance")] }
        var batch: Scenario.Batch?
        if let several = fields["instances"] {
            guard case .command(.release) = action else {
                throw fail(
                    several,
                    "\(field).instances",
                    "only a release names several instances (a batch)",
                    "只有释放可以指定多个实例（批量）"
                )
            }
            for (position, element) in try array(several, "\(field).instances").enumerated() {
                let target = try index(element, "\(field).instances[\(position)]")
                guard !targets.contains(target) else {
                    throw fail(element, "\(field).instances[\(position)]", "named twice", "重复指定")
                }
                targets.append(target)
            }
            guard targets.count >= 2 else {
                throw fail(several, "\(field).instances", "a batch names at least two instances", "批量至少指定两个实例")
            }
            batch = .api
        }
        if let batchValue = fields["batch"] {
            guard batch != nil else {
                throw fail(
                    batchValue,
                    "\(field).batch",
                    "only a release of several instances is a batch",
                    "只有释放多个实例才是批量"
                )
            }
            batch = try oneOf(batchValue, "\(field).batch", Scenario.Batch.allCases.map { ($0.rawValue, $0) })
        }
        switch action {
        case .event(let event) where event.isAccountEvent:
            if let named = fields["instance"] {
                throw fail(
                    named,
                    "\(field).instance",
                    "\(event.name ?? "the event") is the account's: it reaches every instance",
                    "\(event.name ?? "该事件")是账户级的：它作用于每个实例"
                )
            }
        case .command?, .event?:
            if targets.isEmpty && instances.count > 1 {
                throw fail(
                    step,
                    "\(field).instance",
                    "the scenario has several instances: name the one the step acts on",
                    "场景有多个实例：请指定该步骤作用的实例"
                )
            }
        case nil:
            if let named = fields["instance"] ?? fields["instances"] {
                throw fail(
                    named,
                    "\(field).instance",
                    "only a command or an event acts on an instance",
                    "只有命令或事件才作用于实例"
                )
            }
        }
        return (targets, batch)
    }

    private func command(
        _ name: String,
        _ fields: [String: ParsedJSON.Positioned],
        _ field: String,
        start: Instant,
        at position: ParsedJSON.Positioned
    ) throws(ScenarioError) -> Command {
        func refuseExtra(_ keys: [String]) throws(ScenarioError) {
            for key in keys where fields[key] != nil {
                throw fail(
                    fields[key]!,
                    "\(field).\(key)",
                    "the \(name) command takes no \(key)",
                    "\(name) 命令不带 \(key)"
                )
            }
        }
        switch name {
        case "stop":
            try refuseExtra(["flags", "time"])
            let mode = try fields["chargingMode"].map { (v) throws(ScenarioError) in
                try oneOf(v, "\(field).chargingMode", StopChargingMode.allCases.map { ($0.word, $0) })
            }
            let force = try fields["force"].map { (v) throws(ScenarioError) in try bool(v, "\(field).force") } ?? false
            return .stop(force: force, chargingMode: mode)
        case "release":
            try refuseExtra(["chargingMode", "force", "time"])
            var flags: ReleaseFlags = []
            if let flagsValue = fields["flags"] {
                for (index, element) in try array(flagsValue, "\(field).flags").enumerated() {
                    flags.insert(
                        try oneOf(
                            element,
                            "\(field).flags[\(index)]",
                            providers.releaseFlags.map { ($0.word, $0) }
                        )
                    )
                }
            }
            return .release(flags)
        case "schedule-release", "renew":
            try refuseExtra(["chargingMode", "force", "flags"])
            let renews = name == "renew"
            guard let time = fields["time"] else {
                throw renews
                    ? fail(
                        position,
                        "\(field).time",
                        "renew needs the new expiry as time (e.g. \"+60d\")",
                        "renew 需要以 time 给出新的到期时间（例如 \"+60d\"）"
                    )
                    : fail(
                        position,
                        "\(field).time",
                        "schedule-release needs a time (e.g. \"+2h\")",
                        "schedule-release 需要时间 time（例如 \"+2h\"）"
                    )
            }
            let at = try instant(time, "\(field).time", start: start)
            return renews ? .renew(until: at) : .scheduleRelease(at: at)
        default:
            try refuseExtra(["chargingMode", "force", "flags", "time"])
            switch name {
            case "start": return .start
            case "cancel-schedule": return .cancelScheduledRelease
            case "protect": return .setProtection(true)
            case "unprotect": return .setProtection(false)
            case "convert-to-postpaid": return .convertToPayAsYouGo
            case "convert-ip-to-eip": return .convertPublicIPToElasticIP
            case "unsubscribe": return .unsubscribe
            default: return .restore
            }
        }
    }

    private func expect(
        _ value: ParsedJSON.Positioned,
        _ field: String,
        start: Instant,
        instances: [Scenario.Launch],
        targets: [Int],
        pricing: Pricing
    ) throws(ScenarioError) -> [Scenario.Expectation] {
        guard case .object(let allPairs) = value.value else {
            throw expected(value, field, "an object", "对象")
        }
        // `instance` names the instance checked; without it, each instance the step acts on is.
        var checked: Int?
        var pairs = allPairs
        if let named = allPairs.firstIndex(where: { if case .string("instance") = $0.key.value { true } else { false } }
        ) {
            let value = allPairs[named].value
            let id = try string(value, "\(field).instance")
            guard let index = instances.firstIndex(where: { $0.description.id == id }) else {
                throw fail(
                    value,
                    "\(field).instance",
                    "no instance \"\(TimeText.escaped(String(id.prefix(40))))\"",
                    "没有实例“\(TimeText.escaped(String(id.prefix(40))))”"
                )
            }
            checked = index
            pairs.remove(at: named)
        }
        // Resource names must name a resource of every instance checked.
        let candidates = checked.map { [$0] } ?? (targets.isEmpty ? Array(instances.indices) : targets)
        var result: [Scenario.Expectation] = []
        for candidate in candidates {
            var parsed = try expectations(
                pairs,
                value,
                field,
                start: start,
                instance: instances[candidate].description,
                pricing: pricing
            )
            for index in parsed.indices { parsed[index].instance = checked }
            if result.isEmpty { result = parsed }
        }
        return result
    }

    private func expectations(
        _ pairs: [(key: ParsedJSON.Positioned, value: ParsedJSON.Positioned)],
        _ value: ParsedJSON.Positioned,
        _ field: String,
        start: Instant,
        instance: InstanceDescription,
        pricing: Pricing
    ) throws(ScenarioError) -> [Scenario.Expectation] {
        // Common members apply to every model; a member named after a provider holds that provider's own.
        var common: [(key: ParsedJSON.Positioned, value: ParsedJSON.Positioned)] = []
        var result: [Scenario.Expectation] = []
        for (key, member) in pairs {
            if case .string(let name) = key.value, ProviderModel(parsing: name, among: providers) != nil {
                result.append(
                    try expectation(
                        member,
                        "\(field).\(name)",
                        provider: name,
                        start: start,
                        instance: instance,
                        pricing: pricing
                    )
                )
            } else {
                common.append((key, member))
            }
        }
        if !common.isEmpty || result.isEmpty {
            let commonValue = ParsedJSON.Positioned(value: .object(common), line: value.line, column: value.column)
            result.insert(
                try expectation(
                    commonValue,
                    field,
                    provider: nil,
                    start: start,
                    instance: instance,
                    pricing: pricing
                ),
                at: 0
            )
        }
        return result
    }

    private func expectation(
        _ value: ParsedJSON.Positioned,
        _ field: String,
        provider: String?,
        start: Instant,
        instance: InstanceDescription,
        pricing: Pricing
    ) throws(ScenarioError) -> Scenario.Expectation {
        let fields = try members(
            value,
            field,
            allowed: ["phase", "error", "apiStatus", "fates", "resources", "billed", "cost", "deadlines"]
        )
        var expectation = Scenario.Expectation(line: value.line, provider: provider)
        if let phase = fields["phase"] {
            expectation.phase = try oneOf(phase, "\(field).phase", Phase.allCases.map { ($0.rawValue, $0) })
        }
        if let error = fields["error"] {
            switch error.value {
            case .null: expectation.outcome = .accepted
            case .string(let code): expectation.outcome = code == "none" ? .accepted : .refused(code)
            default:
                throw fail(
                    error,
                    "\(field).error",
                    "expected an error code, \"none\" or null",
                    "此处应为错误码、\"none\" 或 null"
                )
            }
        }
        if let status = fields["apiStatus"] { expectation.apiStatus = try string(status, "\(field).apiStatus") }
        if let fates = fields["fates"] {
            expectation.fates = try byResource(fates, "\(field).fates", instance: instance, ResourceFate.allCases)
        }
        if let resources = fields["resources"] {
            expectation.resources = try byResource(
                resources,
                "\(field).resources",
                instance: instance,
                ResourceState.allCases
            )
        }
        if let billed = fields["billed"] {
            guard case .object(let pairs) = billed.value else {
                throw fail(billed, "\(field).billed", "expected an object", "此处应为对象")
            }
            for (key, member) in pairs {
                guard case .string(let name) = key.value else {
                    throw fail(key, "\(field).billed", "expected a name", "此处应为名称")
                }
                let family = MeterFamily(rawValue: name)
                let resource = Scenario.ResourceName(name)
                guard family != nil || resource.resolve(in: instance) != nil else {
                    throw fail(
                        key,
                        "\(field).billed",
                        "\"\(name.prefix(40))\" is neither a meter (compute, disk, elasticIP, snapshot) nor a resource of the instance (disk:<id>, snapshot:<id>, publicAddress)",
                        "“\(name.prefix(40))”既不是计费项（compute、disk、elasticIP、snapshot），也不是实例的资源（disk:<id>、snapshot:<id>、publicAddress）"
                    )
                }
                let text = try string(member, "\(field).billed.\(name)")
                guard let seconds = TimeText.duration(text) ?? (text == "0" ? .zero : nil) else {
                    throw fail(
                        member,
                        "\(field).billed.\(name)",
                        "\"\(text)\" is not a duration (e.g. 2h, 1d 2h, 0s)",
                        "“\(text)”不是时长（例如 2h、1d 2h、0s）"
                    )
                }
                if let family {
                    expectation.billed[family] = seconds
                } else {
                    expectation.billedResources[resource] = seconds
                }
            }
        }
        if let cost = fields["cost"] {
            expectation.cost = try self.cost(
                cost,
                "\(field).cost",
                expectation: expectation,
                instance: instance,
                pricing
            )
        }
        if let deadlines = fields["deadlines"] {
            guard case .object(let pairs) = deadlines.value else {
                throw fail(deadlines, "\(field).deadlines", "expected an object", "此处应为对象")
            }
            for (key, member) in pairs {
                guard case .string(let name) = key.value,
                    let kind = providers.deadlineKinds.first(where: { $0.rawValue == name })
                else {
                    throw fail(
                        key,
                        "\(field).deadlines",
                        "unknown deadline (\(providers.deadlineKinds.map(\.rawValue).joined(separator: ", ")))",
                        "未知的期限（\(providers.deadlineKinds.map(\.rawValue).joined(separator: "、"))）"
                    )
                }
                if case .null = member.value {
                    expectation.deadlines[kind] = .some(nil)
                } else {
                    expectation.deadlines[kind] = .some(try instant(member, "\(field).deadlines.\(name)", start: start))
                }
            }
        }
        return expectation
    }

    /// An object of the instance's resources (`disk:<id>`, `snapshot:<id>`, `publicAddress`), each one of `values`.
    private func byResource<Value: RawRepresentable<String>>(
        _ value: ParsedJSON.Positioned,
        _ field: String,
        instance: InstanceDescription,
        _ values: [Value]
    ) throws(ScenarioError) -> [Scenario.ResourceName: Value] {
        guard case .object(let pairs) = value.value else {
            throw fail(value, field, "expected an object", "此处应为对象")
        }
        var result: [Scenario.ResourceName: Value] = [:]
        for (key, member) in pairs {
            guard case .string(let name) = key.value else { continue }
            let resource = Scenario.ResourceName(name)
            let shown = TimeText.escaped(String(name.prefix(40)))
            guard resource.resolve(in: instance) != nil else {
                throw fail(
                    key,
                    "\(field).\(shown)",
                    "names no resource of the instance (disk:<id>, snapshot:<id>, publicAddress)",
                    "不是实例的资源（disk:<id>、snapshot:<id>、publicAddress）"
                )
            }
            result[resource] = try oneOf(member, "\(field).\(shown)", values.map { ($0.rawValue, $0) })
        }
        return result
    }

    /// A step's `cost` expectation: amounts by meter family, resource, `subscription` or `total`, each a decimal
    /// (string or number) with at most six places; the file's prices must price every model it applies to.
    private func cost(
        _ value: ParsedJSON.Positioned,
        _ field: String,
        expectation: Scenario.Expectation,
        instance: InstanceDescription,
        _ pricing: Pricing
    ) throws(ScenarioError) -> [Scenario.CostItem: String] {
        guard case .object(let pairs) = value.value else {
            throw expected(value, field, "an object", "对象")
        }
        guard let book = pricing.book else {
            if pricing.given {
                // The file's prices are wrong, and are reported where they are.
                return [:]
            }
            throw fail(
                value,
                field,
                "a cost needs prices: add \"prices\" to the file (Docs/Prices.md)",
                "费用期望需要价格：请在文件中加入 \"prices\"（Docs/Prices.md）"
            )
        }
        for model in pricing.models where expectation.applies(to: model) {
            guard book.table(for: model.kind.providerType.id) != nil else {
                throw fail(
                    value,
                    field,
                    "\"prices\" has no table for \(model.kind.rawValue) (nor \"*\"), so its cost cannot be checked",
                    "\"prices\" 中没有 \(model.kind.rawValue) 的价格（也没有 \"*\"），无法检查其费用"
                )
            }
        }
        var amounts: [Scenario.CostItem: String] = [:]
        for (key, member) in pairs {
            guard case .string(let name) = key.value else { continue }
            guard let item = Scenario.CostItem(name, in: instance) else {
                let shown = TimeText.escaped(String(name.prefix(40)))
                throw fail(
                    key,
                    field,
                    "\"\(shown)\" is not a meter (compute, disk, elasticIP, snapshot), a resource of the instance (disk:<id>, snapshot:<id>, publicAddress), subscription or total",
                    "“\(shown)”不是计费项（compute、disk、elasticIP、snapshot）、实例的资源（disk:<id>、snapshot:<id>、publicAddress）、subscription 或 total"
                )
            }
            let text: String?
            switch member.value {
            case .string(let written): text = written
            case .number(let number) where number.isFinite:
                let written = "\(number)"
                text = written.hasSuffix(".0") ? String(written.dropLast(2)) : written
            default: text = nil
            }
            guard let text, Money(decimal: text, currency: book.currency) != nil else {
                throw fail(
                    member,
                    "\(field).\(name)",
                    "not an amount (a decimal from 0 to 1000000000 with at most six places, e.g. \"1.04\")",
                    "不是金额（0 至 1000000000 的小数，最多六位小数，例如 \"1.04\"）"
                )
            }
            amounts[item] = text
        }
        return amounts
    }
}
