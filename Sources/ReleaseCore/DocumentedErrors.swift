/// The error codes one command's API documents, each with the source that lists it.
///
/// A provider keeps one of these per ``CommandKind`` (its error catalogue); a refusal of that command must
/// carry one of its codes. A code no page lists for the API (the sources are silent) is a product choice and
/// cites a `[MODEL]` citation. Built from data: the refusal sites pick their code from here, and the tests walk
/// every command's refusals against the same table.
public struct DocumentedErrors: Sendable {
    /// The command.
    public let command: CommandKind
    /// The API that serves the command (e.g. `ModifyInstanceAutoReleaseTime`), or what stands for it when the
    /// provider has none (a console action).
    public let api: String
    /// Each code the command may be refused with, and the source that lists it for this API.
    public let codes: [ReleaseError.Code: Citation]

    public init(_ command: CommandKind, api: String, codes: [(ReleaseError.Code, Citation)]) {
        self.command = command
        self.api = api
        self.codes = Dictionary(codes, uniquingKeysWith: { first, _ in first })
    }

    /// The same from a provider's table of codes (an enum whose raw values are the codes).
    public init<ProviderCode: RawRepresentable<String>>(
        _ command: CommandKind,
        api: String,
        codes: [(ProviderCode, Citation)]
    ) {
        self.init(command, api: api, codes: codes.map { (ReleaseError.Code(rawValue: $0.0.rawValue), $0.1) })
    }

    /// Whether `code` is one of this command's codes.
    public func lists(_ code: ReleaseError.Code) -> Bool { codes[code] != nil }
}
