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
/// `UnsupportedOperation.InstancesProtected`, ...), the phase the instance was in, the command, and a
/// sentence saying why. A refused command never changes the instance.
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

    /// The provider's error code.
    public var code: Code
    /// The HTTP status the provider answers the code with: per code on ECS (AD1 etc.); always 200 on CVM,
    /// whose API 3.0 puts the code in the body.
    public var httpStatus: Int?
    /// The provider that refused.
    public var provider: ProviderID
    /// The phase the instance was in (unchanged by the refusal).
    public var phase: Phase
    /// The refused command.
    public var command: CommandKind
    /// Why, in a sentence (English, as the providers' APIs answer).
    public var message: String
    /// Why, in Chinese, when the provider module gives it (`cloud-release --lang zh`).
    public var chineseMessage: String?
    /// Where the rule comes from (seed file or API page code, see `Citation`).
    public var source: Citation

    /// Creates an error.
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
        self.code = code
        self.httpStatus = httpStatus
        self.provider = provider
        self.phase = phase
        self.command = command
        self.message = message
        self.chineseMessage = chineseMessage
        self.source = source
    }

    public var description: String {
        let status = httpStatus.map { " (HTTP \($0))" } ?? ""
        return "\(provider) refused \(command) in phase \(phase): \(code)\(status): \(message) [\(source.code)]"
    }
}
