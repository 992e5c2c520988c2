package import ListingCodec
import ReleaseCore
package import Reporting

/// How the inventory reads CVM answers: DescribeInstances' `InstanceSet[]`, DescribeInstancesActionTimer's
/// `ActionTimers[]`, and the resource listings CBS DescribeDisks and VPC DescribeAddresses (the API's JSON with
/// its `Response`, or the SDKs' `to_json_string()` without), in the terms of ``CVMInstanceAttributes``.
package enum CVMInventoryCodec: InventoryCodec {
    package static let listings: [InventoryListing] = [
        InventoryListing(
            keys: ["InstanceSet"],
            mayBeUnderResponse: true,
            name: ("InstanceSet[] (CVM DescribeInstances)", "InstanceSet[]（CVM DescribeInstances）"),
            read: { $0.cvmInstance($1, path: $2) }
        ),
        InventoryListing(
            keys: ["ActionTimers"],
            mayBeUnderResponse: true,
            name: (
                "ActionTimers[] (CVM DescribeInstancesActionTimer)", "ActionTimers[]（CVM DescribeInstancesActionTimer）"
            ),
            read: { $0.cvmTimer($1, path: $2) }
        ),
        InventoryListing(
            keys: ["DiskSet"],
            mayBeUnderResponse: true,
            name: ("DiskSet[] (CBS DescribeDisks)", "DiskSet[]（CBS DescribeDisks）"),
            read: { $0.cbsDisk($1, path: $2) }
        ),
        InventoryListing(
            keys: ["AddressSet"],
            mayBeUnderResponse: true,
            name: ("AddressSet[] (VPC DescribeAddresses)", "AddressSet[]（VPC DescribeAddresses）"),
            read: { $0.vpcAddress($1, path: $2) }
        ),
    ]

    /// CVM DescribeInstances lists the data disks (TD9) but not the snapshots, which DescribeSnapshots has.
    package static func unlistedResourceNotes(
        disksListed: Bool,
        snapshotsFound: Bool
    ) -> [(english: String, chinese: String)] {
        guard !snapshotsFound else { return [] }
        return [
            (
                "snapshots are not in DescribeInstances (DescribeSnapshots has them)",
                "DescribeInstances 中没有快照（见 DescribeSnapshots）"
            )
        ]
    }
}

extension CVMInstanceAttributes {
    /// The release's fields of one DescribeInstances `InstanceSet[]` element, as CVM writes them (TD9): `state` is
    /// the state shown (a transitional one while it settles), the rest follows from the attributes. The emulator
    /// answers with these and ``CVMInventoryCodec`` reads them back, so the two halves of the shape are one place.
    package func describeInstancesMembers(state: String) -> [(String, JSONValue)] {
        [
            ("InstanceState", .string(state)), ("InstanceChargeType", .string(chargeType.rawValue)),
            ("DisableApiTermination", .bool(disableApiTermination)),
            ("ExpiredTime", expiredTime.map { .string($0.iso8601) } ?? .null),
            ("IsolatedSource", .string(isolatedSource.rawValue)), ("RestrictState", .string(restrictState.rawValue)),
            ("StopChargingMode", .string(stopChargingMode.rawValue)),
            ("RenewFlag", chargeType == .prepaid ? "NOTIFY_AND_MANUAL_RENEW" : .null),
        ]
    }
}

extension ListingReader {
    /// One `InstanceSet[]` element: state with its isolation, charge, expiry, data disks, address, protection.
    fileprivate mutating func cvmInstance(_ element: JSONValue, path: String) {
        guard case let (id, state, chargeType)? = identity(element, stateField: "InstanceState", path: path) else {
            return
        }
        var notes = ListingNotes()
        guard let expiredTime = time(element, "ExpiredTime", path, { Instant(iso8601: $0) }) else { return }
        // A spot instance (SPOTPAID) bills by use, as pay-as-you-go does.
        let isSubscription =
            CVMInstanceAttributes.ChargeType(rawValue: chargeType).map { $0 == .prepaid }
            ?? (chargeType == "SPOTPAID" ? false : nil)
        guard
            let charge = self.charge(
                chargeType,
                isSubscription: isSubscription,
                known: CVMInstanceAttributes.ChargeType.allCases.map(\.rawValue) + ["SPOTPAID"],
                expiry: expiredTime,
                path: path
            )
        else { return }
        let stopMode: StopChargingMode? =
            element["StopChargingMode"]?.text == CVMInstanceAttributes.StopChargingMode.stopCharging.rawValue
            ? .stopCharging : nil
        guard let instanceState = CVMInstanceAttributes.InstanceState(rawValue: state) else {
            let known = CVMInstanceAttributes.InstanceState.allCases.map(\.rawValue)
            _ = live(nil, stopMode: nil, field: "\(path).InstanceState", text: state, known: known)
            return
        }
        // TD9: IsolatedSource says why an instance is isolated; absent means not isolated.
        let sourceText = element["IsolatedSource"]?.text.flatMap { $0.isEmpty ? nil : $0 }
        let source = sourceText.map(CVMInstanceAttributes.IsolatedSource.init(rawValue:)) ?? .notIsolated
        guard let source else {
            let known = CVMInstanceAttributes.IsolatedSource.allCases.map(\.rawValue)
            return problem(
                "\(path).IsolatedSource",
                "\"\(sourceText?.prefix(40) ?? "")\" is not one of \(known.joined(separator: ", "))",
                "“\(sourceText?.prefix(40) ?? "")”不是 \(known.joined(separator: "、")) 之一"
            )
        }
        let observed: InventoryInstance.Observed
        var stateText = state
        switch instanceState {
        case .pending, .running, .starting, .stopping, .stopped:
            // Q20/TD9: isolation (the recycle bin, arrears, expiry) is SHUTDOWN; a live instance is not isolated.
            guard source == .notIsolated else {
                return problem(
                    "\(path).IsolatedSource",
                    "\(source.rawValue) is isolation, which is SHUTDOWN (TD9, Q20): a \(state) instance is NOTISOLATED",
                    "\(source.rawValue) 表示隔离，隔离的实例为 SHUTDOWN（TD9、Q20）：\(state) 实例应为 NOTISOLATED"
                )
            }
            // TD6: an expired subscription is isolated (SHUTDOWN, EXPIRE); a live one past its expiry is stale.
            if let expiry = charge.expiresAt, expiry <= now {
                return stale(
                    path,
                    expiry: expiry,
                    state: state,
                    expected: "SHUTDOWN with IsolatedSource EXPIRE (TD6)"
                )
            }
            guard
                let liveState = live(
                    instanceState.launchPhase,
                    stopMode: stopMode,
                    field: "\(path).InstanceState",
                    text: state,
                    known: CVMInstanceAttributes.InstanceState.allCases.map(\.rawValue)
                )
            else { return }
            observed = liveState
        case .shutdown:
            stateText = "SHUTDOWN (\(sourceText ?? "?"))"
            switch source {
            case .manmade:
                observed = .recycleBin
                notes.add(
                    "\(file): \(path).IsolatedSource: MANMADE: when it entered the recycle bin is not in the answer",
                    "\(file): \(path).IsolatedSource：MANMADE：答复中没有何时进入回收站"
                )
            case .expire:
                // TD6/TD9: isolated at its subscription's expiry, which must have come.
                guard let expiry = charge.expiresAt, expiry <= now else {
                    let why =
                        charge.expiresAt.map { "its ExpiredTime \($0.iso8601) is after \(now.iso8601)" }
                        ?? "a \(chargeType) instance has no subscription"
                    let chineseWhy =
                        charge.expiresAt.map { "其 ExpiredTime \($0.iso8601) 晚于 \(now.iso8601)" }
                        ?? "\(chargeType) 实例没有包年包月"
                    return problem(
                        "\(path).IsolatedSource",
                        "EXPIRE is an expired subscription (TD6, TD9), but \(why)",
                        "EXPIRE 表示包年包月已到期（TD6、TD9），但\(chineseWhy)"
                    )
                }
                observed = .expired
            case .arrear:
                observed = .arrears
                notes.add(
                    "\(file): \(path).IsolatedSource: ARREAR: when the arrears began is not in the answer",
                    "\(file): \(path).IsolatedSource：ARREAR：答复中没有何时开始欠费"
                )
            case .notIsolated:
                return problem(
                    "\(path).IsolatedSource",
                    "SHUTDOWN needs IsolatedSource MANMADE, EXPIRE or ARREAR",
                    "SHUTDOWN 需要 IsolatedSource 为 MANMADE、EXPIRE 或 ARREAR"
                )
            }
        }
        var disks: [Disk] = [Disk(id: "\(id)-system", role: .system)]
        if case .array(let dataDisks)? = element["DataDisks"] {
            for (index, disk) in dataDisks.enumerated() {
                let type = disk["DiskType"]?.text ?? "CLOUD_PREMIUM"
                let keep = bool(disk, "DeleteWithInstance", "\(path).DataDisks[\(index)]")
                disks.append(
                    Disk(
                        id: disk["DiskId"]?.text ?? "\(id)-data\(index + 1)",
                        role: type.hasPrefix("LOCAL") ? .local : .data,
                        deleteWithInstance: keep ?? true,
                        // A cloud disk not deleted with the instance follows its own lifecycle: the models'
                        // elastic disk (T2, TD4).
                        isElastic: !type.hasPrefix("LOCAL") && keep == false
                    )
                )
            }
        } else {
            notes.add(
                "\(file): \(path).DataDisks: absent: no data disks forecast",
                "\(file): \(path).DataDisks：缺少：不预测数据盘"
            )
        }
        var publicAddress = PublicAddress.none
        if case .array(let addresses)? = element["PublicIpAddresses"], !addresses.isEmpty {
            publicAddress = .fixedPublicIP
        }
        let description = InstanceDescription(
            id: id,
            region: element["Placement"]?["Zone"]?.text ?? "",
            charge: charge,
            isSpot: chargeType == "SPOTPAID",
            disks: disks,
            publicAddress: publicAddress,
            isProtected: bool(element, "DisableApiTermination", path) ?? false
        )
        instances.append(
            InventoryInstance(
                provider: TencentCVM.id,
                file: file,
                path: path,
                description: description,
                observed: observed,
                stateText: stateText,
                scheduledRelease: nil,
                notes: notes.english,
                chineseNotes: notes.chinese
            )
        )
    }

    /// A disk of a CBS DescribeDisks answer (`DiskUsage` SYSTEM_DISK or DATA_DISK), attached ones only.
    fileprivate mutating func cbsDisk(_ element: JSONValue, path: String) {
        listedDisk(
            element,
            path: path,
            roleField: "DiskUsage",
            roles: ("SYSTEM_DISK", "DATA_DISK"),
            isLocal: (element["DiskType"]?.text ?? "").hasPrefix("LOCAL")
        )
    }

    /// A VPC address bound to an instance: an elastic IP (`AddressType` EIP and its kinds), not a fixed public IP
    /// (`WanIP`), which DescribeInstances already shows.
    fileprivate mutating func vpcAddress(_ element: JSONValue, path: String) {
        guard let instance = element["InstanceId"]?.text, !instance.isEmpty,
            (element["AddressType"]?.text ?? "EIP").hasSuffix("EIP")
        else { return }
        elasticIP(boundTo: instance)
    }

    /// A pending scheduled destruction (`TimerAction` TerminateInstances, `Status` UNDO) and its `ActionTime`.
    fileprivate mutating func cvmTimer(_ element: JSONValue, path: String) {
        guard let id = string(element, "InstanceId", path), let text = string(element, "ActionTime", path) else {
            return
        }
        guard element["TimerAction"]?.text ?? "TerminateInstances" == "TerminateInstances" else { return }
        guard (element["Status"]?.text ?? "UNDO") == "UNDO" else { return }
        guard let at = Instant(iso8601: text) else {
            return problem("\(path).ActionTime", "\"\(text.prefix(40))\" is not a time", "“\(text.prefix(40))”不是时间")
        }
        timers[id] = at
    }
}
