/// Names a provider without the core knowing any: the provider modules define the values.
public struct ProviderID: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: ProviderID, rhs: ProviderID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The one error every transition throws: a provider refused a command.
///
/// It carries the provider's own error code (`IncorrectInstanceStatus`,
/// `UnsupportedOperation.InstancesProtected`, ...), the phase the instance was in, the command, and why. A
/// refused command never changes the instance.
///
/// Why is kept unrendered until it is read (``message``, ``chineseMessage``): a sentence known when the code is
/// written is two string literals, and one with values is a ``RefusalReason`` holding those values, so a
/// refusal builds no text. An engine that only counts refusals (a replay refuses about half of a trace's
/// records) never pays for sentences it does not show.
public struct ReleaseError: Error, Hashable, Sendable, Encodable, CustomStringConvertible {
    /// A provider's error code, extensible by the provider modules.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible,
        ExpressibleByStringLiteral
    {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
        public static func < (lhs: Code, rhs: Code) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    // The stored properties in this order, the status in 16 bits and the rendered reason boxed keep an error within
    // 128 bytes, which a copy moves inline: at 161 bytes each of the five copies a refusal takes on its way to the
    // engine was a call to `memcpy`, 5% of a replay's time (Docs/Performance.md, "Refusals within 128 bytes").

    /// The provider's error code.
    public var code: Code
    /// The provider that refused.
    public var provider: ProviderID
    /// Why, unrendered.
    public let text: Text
    /// The phase the instance was in (unchanged by the refusal).
    public var phase: Phase
    /// The refused command.
    public var command: CommandKind
    private var status: UInt16?
    /// Where the rule comes from (seed file or API page code, see `Citation`).
    public var source: Citation

    /// The HTTP status the provider answers the code with: per code on ECS (AD1 etc.); always 200 on CVM,
    /// whose API 3.0 puts the code in the body. An HTTP status has three digits (100 to 599).
    public var httpStatus: Int? {
        get { status.map(Int.init) }
        set { status = newValue.map(Self.checkedStatus) }
    }

    /// `status` in 16 bits; a number no HTTP status is stops the process (a provider module's fault, not input's).
    private static func checkedStatus(_ status: Int) -> UInt16 {
        guard (100...599).contains(status) else { preconditionFailure("\(status) is not an HTTP status") }
        return UInt16(status)
    }

    /// How a refusal keeps why it refused until it is read.
    public enum Text: Sendable {
        /// Two sentences given as text: a sentence known when the code is written, whose string literals cost
        /// nothing to keep.
        case sentences(english: String, chinese: String?)
        /// A reason holding the values it names, rendered when read (boxed: an error holds no existential in
        /// place).
        indirect case rendered(by: any RefusalReason)
    }

    /// Why, in a sentence (English, as the providers' APIs answer), rendered now.
    public var message: String {
        switch text {
        case .sentences(let english, _): return english
        case .rendered(let reason): return reason.english
        }
    }

    /// Why, in Chinese, when the provider module gives it (`cloud-release --lang zh`), rendered now.
    public var chineseMessage: String? {
        switch text {
        case .sentences(_, let chinese): return chinese
        case .rendered(let reason): return reason.chinese
        }
    }

    /// An error saying `text`.
    public init(
        code: Code,
        httpStatus: Int? = nil,
        provider: ProviderID,
        phase: Phase,
        command: CommandKind,
        text: Text,
        source: Citation
    ) {
        self.code = code
        self.status = httpStatus.map(Self.checkedStatus)
        self.provider = provider
        self.phase = phase
        self.command = command
        self.text = text
        self.source = source
    }

    /// An error whose reason is given as sentences (known when the code is written).
    public init(
        code: Code,
        httpStatus: Int? = nil,
        provider: ProviderID,
        phase: Phase,
        command: CommandKind,
        message: String,
        chineseMessage: String? = nil,
        source: Citation
    ) {
        self.init(
            code: code,
            httpStatus: httpStatus,
            provider: provider,
            phase: phase,
            command: command,
            text: .sentences(english: message, chinese: chineseMessage),
            source: source
        )
    }

    public var description: String {
        let status = httpStatus.map { " (HTTP \($0))" } ?? ""
        return "\(provider) refused \(command) in phase \(phase): \(code)\(status): \(message) [\(source.code)]"
    }

    /// Two errors are equal when they say the same: the same code, status, provider, phase, command, source and
    /// rendered sentences (however each keeps them).
    public static func == (lhs: ReleaseError, rhs: ReleaseError) -> Bool {
        lhs.code == rhs.code && lhs.httpStatus == rhs.httpStatus && lhs.provider == rhs.provider
            && lhs.phase == rhs.phase && lhs.command == rhs.command && lhs.source == rhs.source
            && lhs.message == rhs.message && lhs.chineseMessage == rhs.chineseMessage
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(httpStatus)
        hasher.combine(provider)
        hasher.combine(phase)
        hasher.combine(command)
        hasher.combine(source)
        hasher.combine(message)
        hasher.combine(chineseMessage)
    }

    private enum CodingKeys: String, CodingKey {
        case code, httpStatus, provider, phase, command, message, chineseMessage, source
    }

    /// Encoded with its sentences rendered: `code`, `httpStatus`, `provider`, `phase`, `command`, `message`,
    /// `chineseMessage`, `source`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encodeIfPresent(httpStatus, forKey: .httpStatus)
        try container.encode(provider, forKey: .provider)
        try container.encode(phase, forKey: .phase)
        try container.encode(command, forKey: .command)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(chineseMessage, forKey: .chineseMessage)
        try container.encode(source, forKey: .source)
    }
}

/// Why a provider refused, holding the values its sentence names and rendering the sentence when read.
///
/// A provider module declares its own reasons (an enum, one case a sentence); the core declares the ones every
/// provider says the same way (``SharedRefusalReason``).
public protocol RefusalReason: Hashable, Sendable {
    /// The sentence in English, as the providers' APIs answer.
    var english: String { get }
    /// The sentence in Chinese, nil when the provider gives none.
    var chinese: String? { get }
}

/// The reasons every provider gives in the same words, with the values they name.
public enum SharedRefusalReason: RefusalReason {
    /// `api` has no parameter for these release flags (`DeleteInstance`, `TerminateInstances`).
    case noSuchParameter(api: String, flags: ReleaseFlags)
    /// A batch API takes at most `limit` ids and was given `given`.
    case tooManyIDs(api: String, limit: Int, given: Int)
    /// An instance with more disks or snapshots than the meters bill (``InstanceDescription/maximumDisks``,
    /// ``InstanceDescription/maximumSnapshots``).
    case beyondCapacity(disks: Int, snapshots: Int)

    public var english: String {
        switch self {
        case .noSuchParameter(let api, let flags): return "\(api) has no such parameter (\(flags))"
        case .tooManyIDs(let api, let limit, let given): return "\(api) takes at most \(limit) ids, got \(given)"
        case .beyondCapacity(let disks, let snapshots):
            return
                "an instance has at most \(MachineCore.maximumDisks) disks and \(MachineCore.maximumSnapshots) snapshots here (this one: \(disks) and \(snapshots))"
        }
    }

    public var chinese: String? {
        switch self {
        case .noSuchParameter(let api, let flags): return "\(api) 没有这个参数（\(flags)）"
        case .tooManyIDs(let api, let limit, let given): return "\(api) 最多 \(limit) 个实例 ID，实际 \(given) 个"
        case .beyondCapacity(let disks, let snapshots):
            return
                "一个实例至多 \(MachineCore.maximumDisks) 块盘、\(MachineCore.maximumSnapshots) 个快照（此实例：\(disks) 块、\(snapshots) 个）"
        }
    }
}
