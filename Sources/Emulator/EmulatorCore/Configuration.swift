import Foundation
package import ProviderRegistry
package import ReleaseCore

/// How the emulator is set up: keys, rule profiles, wire-level choices, clock start.
package struct EmulatorConfiguration: Sendable {
    /// An access key: its id (Aliyun AccessKeyId, Tencent SecretId), secret, and the account it belongs to.
    package struct AccessKey: Hashable, Sendable {
        package var id: String
        package var secret: String
        package var account: String
    }

    /// Why a keys file cannot be read: the line and the reason.
    package struct KeysFileError: Error, CustomStringConvertible, Sendable {
        package var line: Int
        package var reason: String
        package var description: String { "line \(line): \(reason)" }
    }

    /// Parses a keys file (`--access-keys-file`): one `ID:SECRET:ACCOUNT` a line; blank lines and lines starting
    /// with `#` are skipped; a key id given twice is an error.
    package static func accessKeys(fromFile text: String) throws(KeysFileError) -> [AccessKey] {
        var keys: [AccessKey] = []
        // `\r\n` is one Character, so splitting on newlines handles both line endings.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let key = AccessKey(parsing: line) else {
                throw KeysFileError(
                    line: index + 1,
                    reason: "expected ID:SECRET:ACCOUNT, none empty, the account printable ASCII without commas"
                )
            }
            guard !keys.contains(where: { $0.id == key.id }) else {
                throw KeysFileError(line: index + 1, reason: "the key id \(key.id.prefix(64)) is given twice")
            }
            keys.append(key)
        }
        return keys
    }

    /// Which requests are let in.
    package enum Authentication: Sendable {
        /// moto's default: signatures are not checked and each key id is its own account.
        case acceptAnyKey
        /// Only these keys, with verified signatures.
        case verify([AccessKey])
    }

    package var authentication: Authentication
    /// The providers' wire front ends the emulator serves, in the registry's order: a request goes to the one
    /// with the strongest claim on it (``frontEnd(claiming:)``), and an instance's answers to its provider's.
    package var frontEnds: [any EmulatorFrontEnd.Type]
    /// Each provider's rule profile, by registry case; a provider not given runs its seed profile
    /// (``model(_:)``).
    package var models: [ProviderModel.Kind: ProviderModel]
    /// Each front end's own settings, typed by the front end's module (``FrontEndOption``), as SwiftNIO's
    /// channel options are: the core stores them without knowing any.
    package var options = FrontEndOptions()
    /// Where the virtual clock starts; nil: the wall clock at start-up (and at each reset).
    package var start: Instant?
    /// 0: transitional states (Pending, Starting, Stopping) settle at once, as moto does; N > 0: after the
    /// instance has been listed by N DescribeInstances calls (for SDK waiters).
    package var settleAfterDescribes: Int
    /// Requests with a larger body are refused before anything is read from them.
    package var maximumBodyBytes: Int
    /// How many unexpired nonces are remembered (each for twice the freshness window); past it, signed requests
    /// with a nonce are throttled until older ones expire, so memory stays bounded under a flood.
    package var maximumLiveNonces: Int
    /// Virtual-clock durations of the transitional states a DescribeInstances shows (`--transition-seconds`);
    /// nil: none (or the describe-count delay above). Defaults are [MODEL EM10]: no page gives a duration.
    package var transitionSeconds: TransitionSeconds?

    /// How long, on the virtual clock, each transition is shown before the settled state.
    package struct TransitionSeconds: Sendable, Equatable {
        /// Pending → Running after a launch.
        package var launch: Int64 = 30
        /// Stopping → Stopped.
        package var stop: Int64 = 20
        /// Starting → Running.
        package var start: Int64 = 20
        /// A CVM TerminateInstances' `LatestOperationState` OPERATING → SUCCESS.
        package var terminate: Int64 = 10

        package init() {}

        /// `launch=30,stop=20,start=20,terminate=10` (any subset; the rest keep their defaults), or `default`.
        package init?(parsing text: String) {
            guard text != "default" else { return }
            for part in text.split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, let seconds = Int64(pair[1]), (0...86_400).contains(seconds) else { return nil }
                switch pair[0] {
                case "launch": launch = seconds
                case "stop": stop = seconds
                case "start": start = seconds
                case "terminate": terminate = seconds
                default: return nil
                }
            }
        }
    }

    /// Whether the virtual clock moves with the wall clock (`--clock running`): before each request it catches up
    /// with the wall time passed since start (or since it was last moved by hand), firing what fell due.
    /// Frozen by default: it moves only when the control plane moves it.
    package var clockRuns = false

    /// The prices refund quotes are made with (`--prices FILE`, Docs/Prices.md): CVM InquiryPriceTerminateInstances
    /// answers a subscription's refund (PM3) from them, and refuses to quote without them.
    package var prices: PriceBook?

    /// The live page's language by default: `en` or `zh` (`--lang`; `?lang=` overrides it per page).
    package var language = "en"

    package init(
        frontEnds: [any EmulatorFrontEnd.Type],
        authentication: Authentication = .acceptAnyKey,
        models: [ProviderModel] = [],
        start: Instant? = nil,
        settleAfterDescribes: Int = 0,
        maximumBodyBytes: Int = 1 << 20,
        maximumLiveNonces: Int = 1_000_000
    ) {
        self.authentication = authentication
        self.frontEnds = frontEnds
        self.models = Dictionary(models.map { ($0.kind, $0) }) { _, later in later }
        self.start = start
        self.settleAfterDescribes = settleAfterDescribes
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumLiveNonces = maximumLiveNonces
    }

    /// The providers served, in the front ends' order.
    package var kinds: [ProviderModel.Kind] { frontEnds.map { $0.kind } }

    /// Whether a front end serves `kind`: an instance of another provider is refused before it is recorded (the
    /// control plane's seeding, a journal's launch), so every record has its front end.
    package func serves(_ kind: ProviderModel.Kind) -> Bool { frontEnds.contains { $0.kind == kind } }

    /// The front end of `kind`, which every recorded instance's provider has (``serves(_:)``).
    package func frontEnd(_ kind: ProviderModel.Kind) -> any EmulatorFrontEnd.Type {
        guard let frontEnd = frontEnds.first(where: { $0.kind == kind }) else {
            preconditionFailure("an instance of \(kind), which no front end serves, was recorded")
        }
        return frontEnd
    }

    /// The front end whose claim on `request` is strongest (``WireEvidence``), ties in the registry's order.
    package func frontEnd(claiming request: RawRequest) -> (any EmulatorFrontEnd.Type)? {
        let parameters = rpcParameters(of: request)
        var best: (frontEnd: any EmulatorFrontEnd.Type, evidence: WireEvidence)?
        for frontEnd in frontEnds {
            guard let evidence = frontEnd.wireMarks.evidence(in: request, parameters: parameters) else { continue }
            if let current = best, current.evidence <= evidence { continue }
            best = (frontEnd, evidence)
        }
        return best?.frontEnd
    }

    /// The rule profile of a provider: the one given, else its seed profile.
    package func model(_ kind: ProviderModel.Kind) -> ProviderModel {
        models[kind] ?? ProviderModel(kind)
    }
}

// In an extension, so that the access key keeps its memberwise initializer.
extension EmulatorConfiguration.AccessKey {
    /// Parses `ID:SECRET:ACCOUNT` (the `--access-key` form); nil when a part is missing or empty, or the account
    /// is not 1 to 128 printable ASCII characters without commas (it is a field of the journal's trace).
    package init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }), Journal.isTraceField(parts[2]) else {
            return nil
        }
        self.init(id: parts[0], secret: parts[1], account: parts[2])
    }
}

/// A setting of one front end, declared by its module: its value's type and the value an emulator starts with.
package protocol FrontEndOption {
    associatedtype Value: Sendable
    /// The value when the configuration does not set one.
    static var defaultValue: Value { get }
}

/// The front ends' settings by option type; an option never set reads as its default.
package struct FrontEndOptions: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    package init() {}

    package subscript<Option: FrontEndOption>(_ option: Option.Type) -> Option.Value {
        get { values[ObjectIdentifier(option)] as? Option.Value ?? Option.defaultValue }
        set { values[ObjectIdentifier(option)] = newValue }
    }
}

/// A setting of one front end on the emulator's command line: `--<name> <value>`, declared by the front end's
/// module (``EmulatorFrontEnd/commandLineOptions``) so that the executable names no provider.
package struct FrontEndCommandLineOption: Sendable {
    /// The option's name without its dashes (`tencent-terminate`).
    package let name: String
    /// The values it takes, the default first.
    package let values: [String]
    /// One sentence for `--help`.
    package let help: String
    /// Sets `value`, one of ``values``, in a configuration.
    package let apply: @Sendable (_ value: String, _ configuration: inout EmulatorConfiguration) -> Void

    package init(
        name: String,
        values: [String],
        help: String,
        apply: @escaping @Sendable (_ value: String, _ configuration: inout EmulatorConfiguration) -> Void
    ) {
        self.name = name
        self.values = values
        self.help = help
        self.apply = apply
    }

    /// Reads the front ends' options from the arguments the executable does not know itself (`--name value` or
    /// `--name=value`, in any order) into `configuration`; the error names the argument and why.
    package static func apply(
        _ arguments: [String],
        of options: [FrontEndCommandLineOption],
        to configuration: inout EmulatorConfiguration
    ) throws(FrontEndCommandLineError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--"), argument.count > 2 else { throw .unexpected(argument) }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = options.first(where: { $0.name == name }) else { throw .unknown(name) }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                index += 1
                guard index < arguments.count else { throw .missingValue(option) }
                value = arguments[index]
            }
            guard option.values.contains(value) else { throw .invalidValue(option, value) }
            option.apply(value, &configuration)
            index += 1
        }
    }
}

/// Why the front ends' command-line options could not be read.
package enum FrontEndCommandLineError: Error, CustomStringConvertible {
    /// Not an option (`--name`).
    case unexpected(String)
    /// No front end has this option.
    case unknown(String)
    /// The option is last, without its value.
    case missingValue(FrontEndCommandLineOption)
    /// The value is not one the option takes.
    case invalidValue(FrontEndCommandLineOption, String)

    package var description: String {
        switch self {
        case .unexpected(let argument): return "unexpected argument '\(argument.prefix(80))'"
        case .unknown(let name): return "unknown option '--\(name.prefix(80))'"
        case .missingValue(let option): return "missing value for '--\(option.name)'"
        case .invalidValue(let option, let value):
            return "--\(option.name) \(value.prefix(40)): expected \(option.values.joined(separator: " or "))"
        }
    }
}
