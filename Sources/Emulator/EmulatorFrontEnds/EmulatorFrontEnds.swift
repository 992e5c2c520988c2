import AliyunECSWire
package import EmulatorCore
package import ProviderRegistry
import TencentCVMWire

/// The emulator's registry of front ends: each provider's wire front end, in the registry's order, what an
/// emulator serves unless told otherwise (``EmulatorConfiguration/frontEnds``).
package enum EmulatorFrontEnds {
    package static let registered: [any EmulatorFrontEnd.Type] = ProviderModel.Kind.allCases.map(\.frontEnd)
}

extension ProviderModel.Kind {
    /// The provider's wire front end in the emulator: the one place that maps a registry case to it.
    package var frontEnd: any EmulatorFrontEnd.Type {
        switch self {
        case .aliyun: return AliyunFrontEnd.self
        case .tencent: return TencentFrontEnd.self
        }
    }
}
