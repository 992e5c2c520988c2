import FleetReplay
package import ProviderRegistry
package import ReleaseCore
package import Reporting

/// The ECS and CVM release APIs over the models: one value, one pure `handle(request, wallClock)`.
///
/// No sockets, no clock reads: the server passes the wall clock in (signature freshness and nonce windows
/// run on it) and the release rules run on the emulator's own virtual clock, which moves only when the
/// control plane moves it. Every behaviour is tested by calling ``handle(_:wallClock:)``.
package struct Emulator: Sendable {
    package typealias Handle = Fleet<AnyInstance>.InstanceHandle

    /// What the emulator keeps about an instance beyond its machine: the wire fields the models do not own.
    package struct InstanceRecord: Sendable, Codable {
        /// CVM `LatestOperation` and the request that made it.
        package struct Operation: Sendable, Codable {
            package var name: String
            package var requestID: String

            /// Every stored property, as the memberwise initialiser takes them (package: front ends build it).
            package init(
                name: String,
                requestID: String,
            ) {
                self.name = name
                self.requestID = requestID
            }
        }

        // Who owns it is fixed at launch: a front end that changes a record cannot move it to another account.
        package let id: String
        package let kind: ProviderModel.Kind
        package let account: String
        package var region: String
        package var zone: String
        package var instanceType: String
        package var imageID: String
        package var name: String
        /// ECS `Description` and `HostName` (RunInstances, ModifyInstanceAttribute); nil when never given.
        package var instanceDescription: String?
        package var hostName: String?
        /// The instance's tags in the order they were first set (nil in journals written before tags).
        package var tags: [InstanceTag]?
        /// Each disk's category and size as the launch request gave them, in the description's order (nil in
        /// journals written before disks were listed: the display defaults then apply).
        var diskShapes: [DiskShape]?
        /// The launch request's network and login attributes (nil in journals written before they were kept).
        package var network: NetworkAttributes?
        /// ECS `UserData` (Base64, as sent) or CVM `UserData`, shown back by DescribeUserData.
        package var userData: String?
        package var isSpot = false
        package var hasPublicIP = false
        package var createdAt: Instant
        package var startedAt: Instant?
        package var latestOperation: Operation?
        /// The CVM ActionTimer id of the pending scheduled destruction.
        package var actionTimerID: String?
        /// `ActionTimer.Externals.ReleaseAddress`, echoed by DescribeInstancesActionTimer.
        package var timerReleasesAddress = false
        /// DescribeInstances listings left before a transitional state shows settled (opt-in delay).
        var describesUntilSettled: Int?
        /// The transitional state DescribeInstances shows until then. The models launch, stop and start without
        /// a lasting Pending/Stopping/Starting, so the delay is the wire's only [MODEL EM4].
        var shownTransition: Phase?
        /// With `--transition-seconds`: the virtual instant the shown transition (or a CVM operation) settles.
        var settlesAt: Instant?
    }

    package let configuration: EmulatorConfiguration
    /// The instances' machines: front ends read it (an account's standing) but change it only through the
    /// scoped calls below.
    package internal(set) var fleet: Fleet<AnyInstance>
    /// Every instance's record, by id. Internal: a front end reaches records only through one account's scope
    /// (``owned(_:by:kind:)``, ``instances(of:kind:named:)``), so a request cannot read, list or change another
    /// account's instance by construction, as moto keys its backends by account.
    var records: [String: InstanceRecord] = [:]
    /// Instance ids in creation order (listings keep it).
    var order: [String] = []
    /// `ClientToken` answers by account, provider and token: a retried create answers the first result.
    package var clientTokens: [String: ActionAnswer] = [:]
    /// Nonces seen, with the wall-clock time after which they may be forgotten.
    var nonces: [String: Instant] = [:]
    /// The nonces' keys in the order they were seen, from `nonceQueueHead` on (``forgetExpiredNonces(at:)``).
    var nonceQueue: [String] = []
    var nonceQueueHead = 0
    var requestCounter: UInt64 = 0
    var instanceCounter: UInt64 = 0
    var timerCounter: UInt64 = 0
    var faultCounter: UInt64 = 0
    /// The journal's last lines (trace records, clock moves, faults), newest last, for the live page; not journaled.
    var recentChanges: [String] = []
    /// Faults injected through the control plane, in the order they were added (``Fault``).
    var faults: [Fault] = []
    /// The journal of the request being handled: trace lines and `# emulator` lines (``Journal``).
    var journal = Journal()
    /// Finished journal lines not yet taken by the server.
    var pendingJournal = JournalBatch(lines: [], startsOver: false)

    /// An emulator with no instances whose virtual clock starts at `configuration.start` or `wallClock`.
    package init(configuration: EmulatorConfiguration, wallClock: Instant) {
        self.configuration = configuration
        fleet = Fleet(startingAt: configuration.start ?? wallClock, recordTimeline: true, billing: .totals)
        clockLead = fleet.now - wallClock
    }

    /// With a running clock (``EmulatorConfiguration/clockRuns``): how far the virtual clock is ahead of the wall
    /// clock; each request moves the virtual clock to wall + lead, and moving it by hand moves the lead.
    var clockLead = Seconds(0)

    /// Catches the running virtual clock up with the wall clock, journaled as a clock move.
    mutating func followWallClock(_ wallClock: Instant) {
        guard configuration.clockRuns, let target = wallClock.checkedAdding(clockLead), target > now else { return }
        fleet.advance(to: target)
        journal.directive("clock", target.iso8601)
    }

    /// The virtual clock.
    package var now: Instant { fleet.now }

    /// Answers one request; its accepted changes are journaled (``takeJournal()``).
    package mutating func handle(_ request: RawRequest, wallClock: Instant) -> RawResponse {
        handle(Self.prepare(request, configuration: configuration, wallClock: wallClock), wallClock: wallClock)
    }

    /// Answers a prepared request (``prepare(_:configuration:wallClock:)``); its accepted changes are journaled.
    package mutating func handle(_ prepared: PreparedRequest, wallClock: Instant) -> RawResponse {
        let response = answer(prepared, wallClock: wallClock)
        finishJournal()
        return response
    }

    /// Everything about a request that needs no emulator state: its size and method, which API it speaks, its
    /// parameters parsed and its signature verified. A server runs it outside the lock that serialises
    /// ``handle(_:wallClock:)-(PreparedRequest,_)``, so a slow parse or a signature check never holds up
    /// another request; only the nonce check and the action itself run under the lock.
    package static func prepare(
        _ request: RawRequest,
        configuration: EmulatorConfiguration,
        wallClock: Instant
    ) -> PreparedRequest {
        if request.body.count > configuration.maximumBodyBytes { return PreparedRequest(request, .tooLarge) }
        if request.path.hasPrefix(ControlPlane.prefix) { return PreparedRequest(request, .control) }
        // Both RPC styles and both signature schemes use GET or POST only; a HEAD must not run an action whose
        // answer it cannot carry [MODEL EM7].
        guard ["GET", "POST"].contains(request.method.uppercased()) else {
            return PreparedRequest(request, .methodNotAllowed)
        }
        guard let frontEnd = configuration.frontEnd(claiming: request) else {
            return PreparedRequest(request, .unknownProtocol)
        }
        return PreparedRequest(
            request,
            .provider(PreparedCall.prepare(frontEnd, request, configuration: configuration, wallClock: wallClock))
        )
    }

    private mutating func answer(_ prepared: PreparedRequest, wallClock: Instant) -> RawResponse {
        followWallClock(wallClock)
        requestCounter &+= 1
        let requestID = Self.requestID(requestCounter)
        switch prepared.route {
        case .tooLarge:
            return Self.plainError(
                413,
                "RequestEntityTooLarge",
                "the body is larger than \(configuration.maximumBodyBytes) bytes",
                requestID
            )
        case .control:
            return handleControl(prepared.request, requestID: requestID, wallClock: wallClock)
        case .methodNotAllowed:
            var response = Self.plainError(
                405,
                "MethodNotAllowed",
                "the \(configuration.frontEnds.map { $0.apiName }.joined(separator: " and ")) APIs are called with GET or "
                    + "POST, not \(prepared.request.method.prefix(16))",
                requestID
            )
            response.headers.append(("Allow", "GET, POST"))
            return response
        case .provider(let call): return call.answer(in: &self, requestID: requestID, wallClock: wallClock)
        case .unknownProtocol:
            return Self.plainError(
                400,
                "UnknownProtocol",
                "not a request of \(configuration.frontEnds.map { $0.apiName }.joined(separator: " or ")) (no "
                    + configuration.frontEnds.compactMap { $0.wireMarks.actionHeaders.first }.joined(separator: ", ")
                    + " or Action parameter)",
                requestID
            )
        }
    }

    /// A request id in the providers' UUID shape, counted so runs are reproducible.
    package static func requestID(_ counter: UInt64) -> String {
        let digits = String(counter, radix: 16, uppercase: true)
        return "C10DAE1E-A5E0-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// An answer outside both providers' shapes (the control plane, or a request neither provider's).
    static func plainError(_ status: Int, _ code: String, _ message: String, _ requestID: String) -> RawResponse {
        let body: JSONValue = .object([
            ("Code", .string(code)), ("Message", .string(message)), ("RequestId", .string(requestID)),
        ])
        return json(status, body)
    }

    package static func json(_ status: Int, _ body: JSONValue, contentType: String = "application/json") -> RawResponse
    {
        RawResponse(status: status, headers: [("Content-Type", contentType)], body: Array(body.serialized.utf8))
    }

    // MARK: Authentication

    /// Who sent a request, once its signature (when required) and freshness are checked.
    package struct Caller {
        var accessKeyID: String
        package var account: String
        var scheme: SignatureScheme
        /// The signature's nonce, remembered until `nonceExpiry` (twice the freshness window after its time stamp).
        var nonce: String?
        var nonceExpiry: Instant
    }

    /// Why a request is not let in, in provider-neutral terms; each provider words it with its own code.
    package enum AuthRefusal: Error {
        case unsigned
        case malformed(code: String, message: String)
        case unknownKey(String)
        case signatureMismatch(stringToSign: String)
        case stale(Instant)
        case nonceReused
        /// A nonce longer than ``WireLimits/maximumNonceBytes`` (the SDKs send a UUID or a number).
        case nonceTooLong
        /// More unexpired nonces than the configured bound (a flood of signed requests): refused before any
        /// change, so a client may retry.
        case throttled
    }

    /// The caller a request's signature names, checked against the keys and the wall clock: everything but the
    /// nonce, which needs the emulator's memory of nonces (``admit(_:wallClock:)``).
    package static func verify(
        _ request: RawRequest,
        configuration: EmulatorConfiguration,
        wallClock: Instant,
        frontEnd: any EmulatorFrontEnd.Type
    ) -> Result<Caller, AuthRefusal> {
        let freshness = frontEnd.freshness
        let claim: SignatureClaim
        do {
            guard let read = try frontEnd.signatureClaim(of: request) else { return .failure(.unsigned) }
            claim = read
        } catch {
            return .failure(.malformed(code: error.code, message: error.message))
        }
        let account: String
        switch configuration.authentication {
        case .acceptAnyKey:
            // The key id becomes the account, a trace field in the journal.
            guard Journal.isTraceField(claim.accessKeyID) else { return .failure(.unknownKey(claim.accessKeyID)) }
            account = claim.accessKeyID
        case .verify(let keys):
            guard let key = keys.first(where: { $0.id == claim.accessKeyID }) else {
                return .failure(.unknownKey(claim.accessKeyID))
            }
            guard claim.verify(key.secret) else {
                return .failure(.signatureMismatch(stringToSign: claim.stringToSign))
            }
            account = key.account
        }
        // Freshness and nonces run on the wall clock: the SDKs sign with theirs (Docs/Emulator.md "What the SDKs need from the wire", item 3).
        let skew = claim.timestamp < wallClock ? wallClock - claim.timestamp : claim.timestamp - wallClock
        guard skew <= freshness else { return .failure(.stale(claim.timestamp)) }
        if let nonce = claim.nonce, nonce.utf8.count > WireLimits.maximumNonceBytes { return .failure(.nonceTooLong) }
        return .success(
            Caller(
                accessKeyID: claim.accessKeyID,
                account: account,
                scheme: claim.scheme,
                nonce: claim.nonce,
                nonceExpiry: claim.timestamp + freshness + freshness
            )
        )
    }

    /// Remembers a verified caller's nonce, or refuses one seen before. Remembered nonces are bounded in count
    /// (``EmulatorConfiguration/maximumLiveNonces``) and each in size (``WireLimits/maximumNonceBytes``).
    package mutating func admit(_ caller: Caller, wallClock: Instant) -> AuthRefusal? {
        guard let nonce = caller.nonce, !nonce.isEmpty else { return nil }
        forgetExpiredNonces(at: wallClock)
        let key = caller.accessKeyID + "\u{0}" + nonce
        guard nonces[key] == nil else { return .nonceReused }
        guard nonces.count < configuration.maximumLiveNonces else { return .throttled }
        nonces[key] = caller.nonceExpiry
        nonceQueue.append(key)
        return nil
    }

    /// Forgets the nonces whose window has passed, oldest first, a few at a time per request: the queue keeps
    /// them in the order they were seen, which is their expiry order up to the clients' clock skew (a nonce
    /// that expires before an older one waits for it; the count bound still holds). Nothing scans every nonce
    /// under the server's lock.
    mutating func forgetExpiredNonces(at wallClock: Instant) {
        var swept = 0
        while nonceQueueHead < nonceQueue.count, swept < 64 {
            let key = nonceQueue[nonceQueueHead]
            if let expiry = nonces[key], expiry >= wallClock { break }
            nonces[key] = nil
            nonceQueueHead += 1
            swept += 1
        }
        if nonceQueueHead > 4_096, nonceQueueHead * 2 > nonceQueue.count {
            nonceQueue.removeFirst(nonceQueueHead)
            nonceQueueHead = 0
        }
    }

    // MARK: Instances

    /// The record of an instance the caller's account owns, or nil: another account's instance is as unknown
    /// as a missing one (the real APIs answer NotFound).
    package func owned(_ id: String, by account: String, kind: ProviderModel.Kind) -> InstanceRecord? {
        guard let record = records[id], record.account == account, record.kind == kind else { return nil }
        return record
    }

    package func machine(_ record: InstanceRecord) -> AnyInstance { fleet[handle(record)] }

    /// The fleet's handle of a recorded instance (records exist only for instances in the fleet).
    package func handle(_ record: InstanceRecord) -> Handle {
        guard let handle = fleet.handle(named: record.id) else { preconditionFailure("a record without an instance") }
        return handle
    }

    /// The id of the emulator's `number`th instance, in the provider's shape (its front end's
    /// ``EmulatorFrontEnd/instanceIDShape``): eight base-36 digits between the shape's prefix and suffix.
    static func instanceID(number: UInt64, shape: (prefix: String, suffix: String)) -> String {
        let digits = String(number, radix: 36)
        let padded = String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        return shape.prefix + padded + shape.suffix
    }

    /// A new timer's id: the front end's prefix and the emulator's timer count in eight base-36 digits.
    package mutating func newTimerID(prefix: String) -> String {
        timerCounter += 1
        let digits = String(timerCounter, radix: 36)
        return prefix + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// What the nonces remembered cost: how many, and their bytes (keys and values).
    package var nonceMemory: (count: Int, bytes: Int) {
        (nonces.count, nonces.keys.reduce(0) { $0 + $1.utf8.count + MemoryLayout<Instant>.size })
    }

    /// Launches and records an instance; the caller has validated everything first.
    mutating func add(
        _ machine: AnyInstance,
        effects: [Effect],
        record: InstanceRecord
    ) throws(ReleaseError) {
        do {
            try fleet.add(machine, launchEffects: effects, account: record.account, at: now)
            records[machine.instance.id] = record
            order.append(machine.instance.id)
        } catch {
            // Ids are the emulator's own counter: a duplicate is a bug, reported as the provider's error.
            throw ReleaseError(
                code: "InternalError",
                httpStatus: 500,
                provider: machine.provider,
                phase: machine.phase,
                command: .launch,
                message: "duplicate instance id \(machine.instance.id)",
                source: Citation.model("EM0", "the emulator's own ids are unique", "模拟器自己的 id 不会重复")
            )
        }
    }

    /// Performs a command on one of the caller's instances (found in its scope) at the virtual now
    /// (``perform(_:on:)-(_,String)``).
    package mutating func perform(_ command: Command, on record: InstanceRecord) throws(ReleaseError) -> [Effect] {
        try perform(command, on: record.id)
    }

    /// Performs a command on a recorded instance at the virtual now, journals it, and arms the shown transition.
    mutating func perform(_ command: Command, on id: String) throws(ReleaseError) -> [Effect] {
        guard var record = records[id] else { preconditionFailure("perform on an unrecorded instance") }
        let effects = try fleet.perform(command, on: handle(record), at: now)
        journal.record(TraceRecord(time: now, account: record.account, instance: id, operation: .init(command)))
        if configuration.settleAfterDescribes > 0 || configuration.transitionSeconds != nil {
            let durations = configuration.transitionSeconds
            switch command {
            case .stop:
                record.shownTransition = .stopping
                record.settlesAt = durations.map { settleTime(after: $0.stop) }
            case .start:
                record.shownTransition = .starting
                record.settlesAt = durations.map { settleTime(after: $0.start) }
            case .release:
                // Where the provider shows a release's operation (CVM's LatestOperationState stays OPERATING for a
                // while), it settles after the termination's time; nothing else is shown.
                if configuration.frontEnd(record.kind).showsReleaseInProgress, let durations {
                    record.settlesAt = settleTime(after: durations.terminate)
                }
            case .scheduleRelease, .cancelScheduledRelease, .setProtection, .restore, .renew, .convertToPayAsYouGo,
                .convertPublicIPToElasticIP, .unsubscribe:
                break
            }
            if record.shownTransition != nil, configuration.settleAfterDescribes > 0 {
                record.describesUntilSettled = configuration.settleAfterDescribes
            }
        }
        update(record)
        return effects
    }

    /// Stores a changed record (its id, provider and account are fixed) and journals it. Internal: a front end
    /// changes a record through ``modify(_:_:)``, which re-reads it, so it never writes a stale copy over a newer one.
    mutating func update(_ record: InstanceRecord) {
        records[record.id] = record
        journal.touch(record.id)
    }

    /// Keeps a create's answer for its ClientToken, journaled.
    package mutating func remember(_ answer: ActionAnswer, token: String) {
        clientTokens[token] = answer
        let entry = JSONValue.object([("key", .string(token)), ("answer", answer.journalForm)])
        journal.directive("token", entry.serialized)
    }

    /// One account's instances of one provider, in creation order: the ones `wanted` names (a name that is
    /// unknown, another account's or another provider's is left out, as the real APIs leave it out), or all. The
    /// only listing a front end has.
    package func instances(
        of account: String,
        kind: ProviderModel.Kind,
        named wanted: [String]? = nil
    ) -> [InstanceRecord] {
        let ids: [String]
        if let wanted {
            ids = Set(wanted).filter { records[$0] != nil }.sorted {
                handle(records[$0]!).index < handle(records[$1]!).index
            }
        } else {
            ids = order
        }
        return ids.compactMap { records[$0] }.filter { $0.account == account && $0.kind == kind }
    }

    /// The record as it is now (after a change through ``perform(_:on:)-(_,InstanceRecord)`` or ``modify(_:_:)``).
    package func current(_ record: InstanceRecord) -> InstanceRecord { records[record.id] ?? record }

    /// Changes one of the caller's instances' records (found in its scope) in place, as it is now, and journals it.
    package mutating func modify(_ listed: InstanceRecord, _ change: (inout InstanceRecord) -> Void) {
        guard var record = records[listed.id] else { return }
        change(&record)
        update(record)
    }

    /// The transitional state a listing shows now, if any: until the record's virtual settle time
    /// (`--transition-seconds`), or for its remaining describes (`--settle-after-describes`).
    package func visibleTransition(_ record: InstanceRecord) -> Phase? {
        if let settlesAt = record.settlesAt { return now < settlesAt ? record.shownTransition : nil }
        return record.shownTransition
    }

    /// When a transition of `seconds` that starts now settles, kept inside the supported range (a clock near
    /// year 9999 must still journal every record).
    func settleTime(after seconds: Int64) -> Instant {
        now.checkedAdding(Seconds(seconds)) ?? Instant.supportedRange.upperBound
    }

    /// Whether a CVM instance's latest operation is still running on the virtual clock.
    package func operationInProgress(_ record: InstanceRecord) -> Bool {
        if let settlesAt = record.settlesAt { return now < settlesAt }
        return record.shownTransition != nil
    }

    /// Counts one DescribeInstances listing of the instance towards its opt-in settle delay, journaled, so a
    /// restart shows the countdown where it was.
    package mutating func countDescribe(_ listed: InstanceRecord) {
        guard var record = records[listed.id], let left = record.describesUntilSettled else { return }
        if left <= 1 {
            record.describesUntilSettled = nil
            record.shownTransition = nil
        } else {
            record.describesUntilSettled = left - 1
        }
        update(record)
    }

}

/// A tag on an instance: ECS `TagKey`/`TagValue`, CVM `Key`/`Value`.
package struct InstanceTag: Sendable, Codable, Equatable {
    package var key: String
    package var value: String

    /// Sets `tags` on `list`: a key already there gets the new value in its place, a new key goes last.
    package static func merging(_ tags: [InstanceTag], into list: [InstanceTag]) -> [InstanceTag] {
        var result = list
        for tag in tags {
            if let index = result.firstIndex(where: { $0.key == tag.key }) {
                result[index].value = tag.value
            } else {
                result.append(tag)
            }
        }
        return result
    }

    /// Every stored property, as the memberwise initialiser takes them (package: front ends build it).
    package init(
        key: String,
        value: String,
    ) {
        self.key = key
        self.value = value
    }
}

/// What an ECS or CVM action answers: the members of its body, and the rules it applied, which travel in the
/// `X-CloudRelease-Rules` header and never in the body.
package struct ActionAnswer: Sendable {
    package var members: [(String, JSONValue)]
    package var rules: [String]

    package init(_ members: [(String, JSONValue)], rules: [String]) {
        self.members = members
        self.rules = rules
    }

    /// The answer as a journal's `token` line keeps it: the body's members with the rules under `_rules`.
    var journalForm: JSONValue {
        .object(members + [(Self.rulesKey, .array(rules.map { .string($0) }))])
    }

    /// An answer read back from its journal form; nil when it is not an object whose `_rules`, if present, is a
    /// list of strings.
    package init?(journalForm: JSONValue) {
        guard case .object(let members) = journalForm else { return nil }
        var rules: [String] = []
        if let listed = journalForm[Self.rulesKey] {
            guard case .array(let entries) = listed else { return nil }
            for entry in entries {
                guard case .string(let rule) = entry else { return nil }
                rules.append(rule)
            }
        }
        self.init(members.filter { $0.0 != Self.rulesKey }, rules: rules)
    }

    private static let rulesKey = "_rules"
}

/// A request with the work that needs no emulator state done (``Emulator/prepare(_:configuration:wallClock:)``).
package struct PreparedRequest {
    package enum Route {
        case tooLarge, control, methodNotAllowed, unknownProtocol
        /// A request a provider's front end claimed, prepared by it.
        case provider(PreparedCall)
    }

    let request: RawRequest
    let route: Route

    package init(_ request: RawRequest, _ route: Route) {
        self.request = request
        self.route = route
    }
}
