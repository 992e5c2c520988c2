package import EmulatorCore

extension EmulatorConfiguration {
    /// What TerminateInstances does to a pay-as-you-go CVM instance (the sources disagree: Docs/Emulator.md "What the SDKs need from the wire", item 5).
    package enum TencentTerminateSemantics: String, Sendable, CaseIterable {
        /// The seed (T2, seed 002): pay-as-you-go instances go to the recycle bin for 2 hours.
        case recycleBin = "recycle-bin"
        /// The current API page (TD1, "按量计费实例调用本接口将被直接销毁"): destroyed directly.
        case apiDocument = "api-document"
    }

    /// What a second ImportInstancesActionTimer for an instance that already has one does.
    package enum SecondActionTimer: String, Sendable, CaseIterable {
        /// The SDK's error catalogue (tencentcloud-sdk-python-cvm errorcodes.py): `FailedOperation.MutActionTimerExist`.
        case refuse
        /// Q14 [MODEL]: the new time replaces the old.
        case replace
    }

    /// What TerminateInstances does to a pay-as-you-go CVM instance (`--tencent-terminate`; the seed's recycle bin
    /// by default).
    package var tencentTerminate: TencentTerminateSemantics {
        get { options[TencentTerminateOption.self] }
        set { options[TencentTerminateOption.self] = newValue }
    }

    /// What a second ImportInstancesActionTimer does (`--second-action-timer`; refused by default).
    package var secondActionTimer: SecondActionTimer {
        get { options[SecondActionTimerOption.self] }
        set { options[SecondActionTimerOption.self] = newValue }
    }
}

/// The CVM front end's ``EmulatorConfiguration/tencentTerminate`` setting.
private enum TencentTerminateOption: FrontEndOption {
    static let defaultValue = EmulatorConfiguration.TencentTerminateSemantics.recycleBin
}

/// The CVM front end's ``EmulatorConfiguration/secondActionTimer`` setting.
private enum SecondActionTimerOption: FrontEndOption {
    static let defaultValue = EmulatorConfiguration.SecondActionTimer.refuse
}
