public import ReleaseCore

/// The documents the Tencent rules come from, with the fact sheet's short codes
/// (../shared/docs/provider-semantics.md, "Source key").
public enum TencentSource {
    /// Seed 002: "销毁/退还实例" (≤2020).
    public static let t2 = Citation(
        code: "T2",
        document: "seed 002, 销毁/退还实例 (https://cloud.tencent.com/document/product/213/4930)",
        isSeed: true
    )
    /// TerminateInstances (Chinese site) and the CN Go SDK.
    public static let td1 = Citation(code: "TD1", document: "https://cloud.tencent.com/document/api/213/15723")
    /// TerminateInstances (international, 2024-11-27) and the intl Go SDK errors.go.
    public static let td2 = Citation(code: "TD2", document: "https://www.tencentcloud.com/document/api/213/33234")
    /// "Terminating/Returning an Instance", 2024-04-10 version.
    public static let td3 = Citation(
        code: "TD3",
        document: "http://intl.cloud.tencent.com/document/product/213/4930 (2024-04-10)"
    )
    /// Recycle bin page 213/4931 (2025-12-31 Chinese version).
    public static let td4 = Citation(code: "TD4", document: "https://www.tencentcloud.com/zh/document/product/213/4931")
    /// Payment overdue 213/2181 (2020-06-12).
    public static let td5 = Citation(code: "TD5", document: "https://intl.cloud.tencent.com/document/product/213/2181")
    /// ActionTimer APIs (ImportInstancesActionTimer and friends).
    public static let td7 = Citation(code: "TD7", document: "https://cloud.tencent.com/document/api/213/103949")
    /// StopInstances (2024-11-27).
    public static let td8 = Citation(code: "TD8", document: "https://www.tencentcloud.com/document/api/213/33235")
    /// Shutting down pay-as-you-go instances to avoid charges (2024-01-08).
    public static let td10 = Citation(code: "TD10", document: "https://www.tencentcloud.com/document/product/213/19922")
    /// CVM instance life cycle (2022-04-20): an expired subscription stays 7 days before it is terminated.
    public static let td6 = Citation(
        code: "TD6",
        document: "https://www.tencentcloud.com/document/product/213/4856 (CVM life cycle: an expired instance is "
            + "terminated after 7 days in the recycle bin)",
        chineseDocument: "https://www.tencentcloud.com/document/product/213/4856（CVM 实例生命周期：到期实例在回收站中"
            + "保留 7 天后销毁）"
    )
    /// Each action's error list: the official Go SDK's per-action "可能返回的错误码" (generated from the API pages).
    public static let td11 = Citation(
        code: "TD11",
        document: "TencentCloud/tencentcloud-sdk-go tencentcloud/cvm/v20170312/client.go (2026-08-21): each action's "
            + "error codes (TerminateInstances, StopInstances, StartInstances, ImportInstancesActionTimer, "
            + "DeleteInstancesActionTimer, ModifyInstancesAttribute, RenewInstances, RunInstances)",
        chineseDocument: "TencentCloud/tencentcloud-sdk-go tencentcloud/cvm/v20170312/client.go（2026-08-21）：各接口"
            + "“可能返回的错误码”"
    )
    /// Tencent Cloud API 3.0 common error codes (`UnknownParameter`, `MissingParameter`).
    public static let commonErrors = Citation(
        code: "TD-common",
        document: "Tencent Cloud API 3.0 common error codes",
        chineseDocument: "腾讯云 API 3.0 公共错误码"
    )

    // Product choices where the sources are silent (fact sheet §6 open questions, §4 contradictions).

    /// Q13: protection blocks only a user's TerminateInstances.
    public static let q13 = Citation.model(
        "Q13",
        "termination protection blocks only a user's TerminateInstances",
        "实例销毁保护只阻止用户调用的 TerminateInstances"
    )
    /// Q14: one timer per instance; a new one replaces it.
    public static let q14 = Citation.model(
        "Q14",
        "one pending timer per instance; a new one replaces it; no upper bound",
        "每个实例只有一个待执行的定时任务；新的替换旧的；没有上限"
    )
    /// Q15: the code for an ActionTime too soon.
    public static let q15 = Citation.model(
        "Q15",
        "ActionTime not later than now + 5 min → InvalidParameterValue",
        "ActionTime 不晚于当前时间 + 5 分钟 → InvalidParameterValue"
    )
    /// Q16: scheduled destruction on a subscription.
    public static let q16 = Citation.model(
        "Q16",
        "scheduled destruction on a subscription → UnsupportedOperation.InstanceChargeType",
        "为包年包月实例设定定时销毁 → UnsupportedOperation.InstanceChargeType"
    )
    /// Q17: snapshots are untouched by release.
    public static let q17 = Citation.model(
        "Q17",
        "snapshots are untouched by release and keep billing",
        "销毁不影响快照，快照继续计费"
    )
    /// Q18: restore is console-equivalent.
    public static let q18 = Citation.model(
        "Q18",
        "restore is the console's, not tied to a named API",
        "恢复是控制台的操作，不对应具名 API"
    )
    /// C7: arrears instances never enter the recycle bin (seed), also when destroyed by hand.
    public static let c7 = Citation.model(
        "C7",
        "a pay-as-you-go instance destroyed while in arrears skips the recycle bin",
        "欠费期间被销毁的按量付费实例不进入回收站"
    )
    /// Restored instances come back shut down.
    public static let tm1 = Citation.model(
        "TM1",
        "a restored instance comes back STOPPED, its fees resumed",
        "恢复的实例回到已关机（STOPPED）状态，恢复计费"
    )
    /// A destroyed instance's EIP counts as idle from the destroy.
    public static let tm2 = Citation.model(
        "TM2",
        "the EIP of a destroyed instance bills as idle from the destroy",
        "已销毁实例的弹性公网 IP 从销毁时起按闲置计费"
    )
    /// Release-now and restore of subscriptions.
    public static let tm3 = Citation.model(
        "TM3",
        "release-now is pay-as-you-go only; an expired subscription is restored by renewal (not simulated)",
        "立即释放只适用于按量付费实例；已到期的包年包月实例通过续费恢复（不模拟）"
    )
    /// Renewal codes and the phase a renewed bin instance comes back in.
    public static let tm5 = Citation.model(
        "TM5",
        "renewal is for subscriptions (InstanceChargeType), must end after the current expiry "
            + "(InvalidParameterValue); a renewed expired instance leaves the bin STOPPED",
        "续费只适用于包年包月实例（否则 InstanceChargeType），新的到期时间必须晚于当前到期时间（否则 "
            + "InvalidParameterValue）；续费后的到期实例以已关机（STOPPED）状态离开回收站"
    )
    /// Batch atomicity.
    public static let tm4 = Citation.model(
        "TM4",
        "TerminateInstances fails whole on the first refused member",
        "TerminateInstances 遇到第一个被拒绝的实例即整体失败"
    )
    /// What the recycle bin does to an instance's other deadlines.
    public static let tm6 = Citation.model(
        "TM6",
        "the recycle bin keeps a scheduled destruction (it releases the instance when due, T2) and the "
            + "subscription's expiry (a returned subscription that expires in the bin becomes an expired one); "
            + "restore brings back what is still ahead",
        "回收站保留定时销毁（到期即销毁实例，T2）和包年包月的到期时间（退还后在回收站中到期的包年包月实例"
            + "成为已到期实例）；恢复时带回尚未到来的期限"
    )
    /// Cancelling a timer on a subscription.
    public static let tm7 = Citation.model(
        "TM7",
        "cancelling scheduled destruction where none is pending (a subscription never has one) changes nothing",
        "在没有待执行定时销毁时撤销（包年包月实例从来没有）不改变任何东西"
    )
    /// A scheduled destruction set before arrears began.
    public static let tm9 = Citation.model(
        "TM9",
        "a scheduled destruction set before arrears began stays in force: the arrears shutdown does not cancel it "
            + "(TD7 removes timers only through DeleteInstancesActionTimer); if it comes first it releases the "
            + "instance, never via the recycle bin (T2)",
        "欠费前设定的定时销毁继续有效：欠费停机不撤销它（TD7 只能通过 DeleteInstancesActionTimer 删除定时任务）；"
            + "若先到期，则直接销毁实例，不进入回收站（T2）"
    )
    /// ModifyInstancesChargeType: both directions, at most 20 instances; not for instances shut down without
    /// charge or with scheduled destruction; its error list.
    public static let td12 = Citation(
        code: "TD12",
        document: "https://cloud.tencent.com/document/api/213/17964 (ModifyInstancesChargeType) and "
            + "TencentCloud/tencentcloud-sdk-go tencentcloud/cvm/v20170312/client.go (2026-08-21): its error codes",
        chineseDocument: "https://cloud.tencent.com/document/api/213/17964（修改实例计费模式：关机不收费的实例、"
            + "设置定时销毁的实例不支持该操作）"
    )
    /// VPC TransformAddress: an instance's ordinary public IP becomes an EIP; its error list (an instance with no
    /// public IP, one that already has an EIP, a state that does not allow it).
    public static let td13 = Citation(
        code: "TD13",
        document: "https://www.tencentcloud.com/document/api/215/16706 (TransformAddress, 2025-11-13) and "
            + "TencentCloud/tencentcloud-sdk-go tencentcloud/vpc/v20170312/client.go (2026-08-21): its error codes",
        chineseDocument: "https://cloud.tencent.com/document/api/215/16706（普通公网IP转弹性公网IP）"
    )
    /// Converting the ordinary public IP where the sources are silent.
    public static let tm11 = Citation.model(
        "TM11",
        "TransformAddress: TD13 does not say which states allow it; the model allows RUNNING and STOPPED "
            + "(InvalidParameterValue.InvalidInstanceState otherwise), and an instance shut down without charge has "
            + "no public IP to convert (TD10: InvalidParameterValue.InstanceNoWanIP); the new EIP is free while bound "
            + "and idle-billed once the instance is destroyed (T2)",
        "TransformAddress：TD13 未说明哪些状态可以转换；模型允许运行中和已关机（否则 "
            + "InvalidParameterValue.InvalidInstanceState），关机不收费的实例没有可转换的公网IP（TD10："
            + "InvalidParameterValue.InstanceNoWanIP）；转换后的弹性公网IP绑定时不收费，实例销毁后按闲置计费（T2）"
    )
    /// Unsubscribing on CVM.
    public static let tm12 = Citation.model(
        "TM12",
        "unsubscribing (退还) a subscription is TerminateInstances on it (TD1: the first call parks it in the recycle "
            + "bin, T2/TD6); a pay-as-you-go instance has nothing to return: UnsupportedOperation.InstanceChargeType; "
            + "the return rules' quotas are not modelled",
        "退还包年包月实例即对其调用 TerminateInstances（TD1：第一次调用放入回收站，T2/TD6）；按量计费实例无可退还："
            + "UnsupportedOperation.InstanceChargeType；退还规则的配额不建模"
    )
    /// Converting to pay-as-you-go where the sources are silent.
    public static let tm10 = Citation.model(
        "TM10",
        "ModifyInstancesChargeType to POSTPAID_BY_HOUR: TD12 names no code for an instance shut down without charge, "
            + "with scheduled destruction or already pay-as-you-go (UnsupportedOperation.InstanceChargeType, from its "
            + "list), nor for a pending or starting one (OperationDenied.InstanceOperationInProgress); termination "
            + "protection does not block it; the refunded difference is not priced",
        "ModifyInstancesChargeType 转为按量计费：TD12 未给出关机不收费、已设定时销毁或已是按量计费实例的错误码"
            + "（取其列表中的 UnsupportedOperation.InstanceChargeType），也未给出创建中或开机中实例的错误码"
            + "（OperationDenied.InstanceOperationInProgress）；实例销毁保护不阻止转换；退还的差价不计价"
    )
    /// Top-up after arrears.
    public static let tm8 = Citation.model(
        "TM8",
        "a top-up brings an arrears-shut-down instance back as it was: running, or stopped in its stop mode",
        "充值后，因欠费停机的实例恢复原状：运行中，或按原停机模式保持已停止"
    )
    /// RunInstances (and the console's purchase) for an account in arrears: TD2 lists
    /// `InvalidAccount.InsufficientBalance` for RunInstances; TD5 says nothing new runs while the balance is
    /// negative.
    public static let td2RunInstances = Citation(
        code: "TD2-run",
        document:
            "https://www.tencentcloud.com/document/api/213/33237 (RunInstances: InvalidAccount.InsufficientBalance)",
        chineseDocument:
            "https://www.tencentcloud.com/document/api/213/33237（RunInstances：InvalidAccount.InsufficientBalance）"
    )

    /// Every citation the CVM model uses, by code.
    public static let catalogue: [String: Citation] = Dictionary(
        uniqueKeysWithValues: [
            t2, td1, td2, td2RunInstances, td3, td4, td5, td7, td8, td10, td6, commonErrors, q13, q14, q15, q16, q17,
            q18, c7, tm1, tm2, tm3, tm4, tm5, tm6, tm7, tm8, tm9, tm10, tm11, tm12, td11, td12, td13,
        ]
        .map { ($0.code, $0) }
    )
}
