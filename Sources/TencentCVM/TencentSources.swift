public import ReleaseCore

/// The documents the Tencent rules come from, with the fact sheet's short codes
/// (../shared/docs/provider-semantics.md, "Source key").
public enum TencentSource {
    /// Seed 002: "销毁/退还实例" (≤2020).
    public static let t2 = Citation(code: "T2", document: "seed 002_2cb1d64adc6fe7ba.txt", isSeed: true)
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
    /// Secondary article quoting the 7-day recycle bin for monthly subscriptions (2024-06-14).
    public static let ts1 = Citation(code: "TS1", document: "https://zztongyun.com/article/阿里云盘费用过期还能用吗")
    /// Tencent Cloud API 3.0 common error codes (`UnknownParameter`, `MissingParameter`).
    public static let commonErrors = Citation(
        code: "TD-common",
        document: "Tencent Cloud API 3.0 common error codes"
    )
}
