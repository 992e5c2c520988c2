public import ReleaseCore
public import Reporting

extension Language {
    /// A word of the package's vocabulary in this language, in `provider`'s own terms (a model such as
    /// `tencent@2025`); without a provider, or with one the registry does not know, every provider's verb is named.
    public func term(_ word: String, provider: String? = nil) -> String {
        term(word, words: ProviderModel.chineseReleaseWords(of: provider))
    }
}

extension ProviderModel {
    /// The Chinese release words of `provider` (a model's name), or of every provider when it is nil or unknown.
    public static func chineseReleaseWords(of provider: String?) -> [ChineseReleaseWords] {
        if let provider, let model = ProviderModel(parsing: provider) {
            return [model.providerType.chineseReleaseWords]
        }
        return Kind.allCases.map { $0.providerType.chineseReleaseWords }
    }
}
