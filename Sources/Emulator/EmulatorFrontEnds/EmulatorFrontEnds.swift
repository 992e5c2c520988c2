import AliyunECSWire
package import EmulatorCore
package import ProviderRegistry
import TencentCVMWire

/// The emulator's registry of front ends: each provider's wire front end, in the registry's order, what an
/// emulator serves unless told otherwise (``EmulatorConfiguration/frontEnds``).
package enum EmulatorFrontEnds {
    package static let registered: [any EmulatorFrontEnd.Type] = ProviderModel.Kind.allCases.compactMap(\.frontEnd)
}

extension ProviderModel.Kind {
    /// The provider's wire front end in the emulator: the one place that maps a registry case to it. A provider
    /// registered at run time has none here: its front end is passed in ``EmulatorConfiguration/frontEnds``.
    package var frontEnd: (any EmulatorFrontEnd.Type)? {
        switch self {
        case .aliyun: return AliyunFrontEnd.self
        case .tencent: return TencentFrontEnd.self
        case .registered: return nil
        }
    }
}
