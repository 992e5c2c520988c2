import ArgumentParser
import EmulatorCore
import EmulatorFrontEnds
import EmulatorTLS
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ProviderRegistry
import ReleaseCore

/// `cloud-release-emulator`: the registered front ends' release APIs (ECS and CVM) on one loopback port, for the
/// official SDKs. It names no provider: each front end declares its options, its API domains and how its SDKs are
/// pointed at it.
struct EmulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloud-release-emulator",
        abstract:
            "Serve the release APIs of \(EmulatorFrontEnds.registered.map { $0.apiName }.joined(separator: " and ")) over CloudRelease's models, with a virtual clock.",
        discussion:
            "Docs/Emulator.md: pointing each SDK and tccli at it, the control plane under /_cloudrelease/, every [MODEL] answer."
    )

    /// Every registered front end's own options.
    static let frontEndOptions = EmulatorFrontEnds.registered.flatMap { $0.commandLineOptions }

    @Option(help: "The port to listen on; 0 picks a free one and prints it.")
    var port: Int = 0

    @Option(help: "The address to bind. Only loopback unless you say otherwise.")
    var host: String = "127.0.0.1"

    @Option(
        name: .customLong("access-key"),
        help: ArgumentHelp(
            "A key the emulator accepts: ID:SECRET:ACCOUNT (repeatable). Without any, every key is accepted unchecked and is its own account.",
            valueName: "ID:SECRET:ACCOUNT"
        )
    )
    var accessKeys: [String] = []

    @Option(
        help: ArgumentHelp(
            "A file of keys, one ID:SECRET:ACCOUNT a line (# comments), added to --access-key.",
            valueName: "FILE"
        )
    )
    var accessKeysFile: String?

    @Option(
        help: ArgumentHelp(
            "A rule profile: \(ProviderModel.allModels.map(\.description).joined(separator: ", ")) (repeatable, one per provider)."
        )
    )
    var profile: [String] = []

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp(
            "The front ends' own options: "
                + Self.frontEndOptions.map {
                    "--\($0.name) \($0.values.joined(separator: "|")) (default \($0.values[0])): \($0.help)"
                }.joined(separator: " "),
            valueName: "front-end-option"
        )
    )
    var frontEndArguments: [String] = []

    @Option(help: "Where the virtual clock starts (YYYY-MM-DDTHH:MM:SSZ); default: now.")
    var start: String?

    @Option(
        help:
            "A price file (Docs/Prices.md): the front ends quote a subscription's refund on release from it."
    )
    var prices: String?

    @Option(help: "Transitional states settle after N DescribeInstances listings (0: at once, as moto does).")
    var settleAfterDescribes: Int = 0

    @Option(
        help:
            "Keep state in DIR/journal.trace: every accepted change is on disk before it is answered, and a restart replays it."
    )
    var state: String?

    @Option(
        help: ArgumentHelp(
            "Show Pending, Stopping, Starting and a release in progress (front ends that show one) for this long on the virtual clock: default, or launch=30,stop=20,start=20,terminate=10 (any subset).",
            valueName: "SECONDS"
        )
    )
    var transitionSeconds: String?

    @Option(
        help:
            "The virtual clock: frozen (moved only by POST /_cloudrelease/clock) or running (it follows the wall clock)."
    )
    var clock: String = "frozen"

    @Option(help: "The live page's language at /_cloudrelease/: en or zh (?lang= overrides it per page).")
    var lang: String = "en"

    @Option(help: "Close a connection after this many seconds without a request (keep-alive included).")
    var idleTimeout: Int = 60

    @Option(help: "Accept at most this many connections at once; past it, new ones are closed at once.")
    var maxConnections: Int = 512

    @Option(
        help: ArgumentHelp(
            "Where the proxy mode's CA is kept (made on first start): default DIR/ca under --state, else $XDG_CACHE_HOME (or ~/.cache)/cloud-release-emulator/ca.",
            valueName: "DIR"
        )
    )
    var caDir: String?

    @Flag(help: "Print only the `export NAME=VALUE` lines for --port (making the CA if needed) and exit.")
    var printEnv = false

    mutating func run() throws {
        var configuration = EmulatorConfiguration(frontEnds: EmulatorFrontEnds.registered)
        var keys: [EmulatorConfiguration.AccessKey] = []
        for text in accessKeys {
            guard let key = EmulatorConfiguration.AccessKey(parsing: text) else {
                throw ValidationError("--access-key \(text.prefix(80)): expected ID:SECRET:ACCOUNT, none empty")
            }
            keys.append(key)
        }
        if let accessKeysFile {
            let text: String
            do {
                text = try String(contentsOfFile: accessKeysFile, encoding: .utf8)
            } catch {
                throw ValidationError(
                    "--access-keys-file \(accessKeysFile): cannot read it: \(error.localizedDescription)"
                )
            }
            do {
                keys += try EmulatorConfiguration.accessKeys(fromFile: text)
            } catch {
                throw ValidationError("\(accessKeysFile): \(error)")
            }
        }
        configuration.authentication = keys.isEmpty ? .acceptAnyKey : .verify(keys)
        for name in profile {
            guard let model = ProviderModel(parsing: name) else {
                throw ValidationError(
                    "--profile \(name.prefix(40)): expected one of "
                        + ProviderModel.allModels.map(\.description).joined(separator: ", ")
                )
            }
            configuration.models[model.kind] = model
        }
        do {
            try FrontEndCommandLineOption.apply(frontEndArguments, of: Self.frontEndOptions, to: &configuration)
        } catch {
            throw ValidationError(error.description)
        }
        if let start {
            guard let instant = Instant(iso8601: start) else {
                throw ValidationError("--start \(start.prefix(40)): expected YYYY-MM-DDTHH:MM:SSZ")
            }
            configuration.start = instant
        }
        if let prices { configuration.prices = try Self.priceBook(prices) }
        guard (0...1_000).contains(settleAfterDescribes) else {
            throw ValidationError("--settle-after-describes must be 0...1000")
        }
        configuration.settleAfterDescribes = settleAfterDescribes
        if let transitionSeconds {
            guard let durations = EmulatorConfiguration.TransitionSeconds(parsing: transitionSeconds) else {
                throw ValidationError(
                    "--transition-seconds: expected default or launch=N,stop=N,start=N,terminate=N (0...86400)"
                )
            }
            configuration.transitionSeconds = durations
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard ["frozen", "running"].contains(clock) else {
            throw ValidationError("--clock: expected frozen or running")
        }
        configuration.clockRuns = clock == "running"
        guard ["en", "zh"].contains(lang) else { throw ValidationError("--lang: expected en or zh") }
        configuration.language = lang
        guard (1...86_400).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be 1...86400") }
        guard (1...100_000).contains(maxConnections) else {
            throw ValidationError("--max-connections must be 1...100000")
        }

        let proxy: ProxyTLS?
        let proxyProblem: String?
        do {
            proxy = try ProxyTLS(directory: ProxyTLS.directory(caDir: caDir, state: state))
            proxyProblem = nil
        } catch {
            proxy = nil
            proxyProblem = "\(error)"
        }
        if printEnv {
            guard port != 0 else { throw ValidationError("--print-env needs the --port the emulator listens on") }
            guard let proxy else {
                FileHandle.standardError.write(Data("cloud-release-emulator: CA: \(proxyProblem ?? "")\n".utf8))
                throw ExitCode(2)
            }
            for line in proxy.environment(host: host, port: port) { print(line) }
            return
        }

        var initial = Emulator(configuration: configuration, wallClock: WallClock.now())
        var journal: JournalFile?
        if let state {
            do {
                let (file, restored, load) = try JournalFile.open(
                    directory: state,
                    configuration: configuration,
                    wallClock: WallClock.now()
                )
                journal = file
                initial = restored
                if let load {
                    print(
                        "journal \(file.path): \(load.committedBatches) changes restored; clock \(restored.now.iso8601)"
                    )
                    if load.tornLines > 0 {
                        print(
                            "journal \(file.path): dropped \(load.tornLines) line(s) of a change that was never acknowledged (torn write)"
                        )
                    }
                }
            } catch {
                FileHandle.standardError.write(Data("cloud-release-emulator: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        let emulator = NIOLockedValueBox(Served(emulator: initial, journal: journal))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let limits = ConnectionLimits(
            maximumBody: configuration.maximumBodyBytes,
            idleTimeout: .seconds(Int64(idleTimeout)),
            maximumConnections: maxConnections
        )
        let openConnections = NIOLockedValueBox(0)
        let served = configuration
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectionLimiter(open: openConnections, maximum: limits.maximumConnections)
                    )
                }
            }
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(IdleStateHandler(readTimeout: limits.idleTimeout))
                    try HTTPStack.add(
                        to: sync,
                        adapter: HTTPAdapter(emulator: emulator, configuration: served, limits: limits, proxy: proxy)
                    )
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
        let channel: any Channel
        do {
            channel = try bootstrap.bind(host: host, port: port).wait()
        } catch {
            throw ValidationError("cannot listen on \(host):\(port): \(error)")
        }
        let boundPort = channel.localAddress?.port ?? port
        Banner.print(
            host: host,
            port: boundPort,
            configuration: configuration,
            now: emulator.withLockedValue { $0.emulator.now },
            proxy: proxy.map { .success($0) } ?? .failure(ProxyProblem(message: proxyProblem ?? ""))
        )
        try channel.closeFuture.wait()
    }
}

/// The emulator and its journal, behind one lock: a change is on disk before its answer leaves.
struct Served: @unchecked Sendable {
    var emulator: Emulator
    let journal: JournalFile?

    mutating func handle(_ request: PreparedRequest, wallClock: Instant) -> RawResponse {
        let response = emulator.handle(request, wallClock: wallClock)
        let batch = emulator.takeJournal()
        if let journal {
            do {
                try journal.write(batch, preamble: emulator.journalPreamble())
            } catch {
                // Unrecorded means unacknowledged: stop before answering; a restart serves the journal's state.
                FileHandle.standardError.write(Data("cloud-release-emulator: journal: \(error); stopping\n".utf8))
                exit(2)
            }
        }
        return response
    }
}

enum WallClock {
    static func now() -> Instant { Instant(secondsSince1970: Int64(Date().timeIntervalSince1970)) }
}

/// What the emulator prints at start-up: where it listens and the lines to paste into each SDK.
enum Banner {
    static func print(
        host: String,
        port: Int,
        configuration: EmulatorConfiguration,
        now: Instant,
        proxy: Result<ProxyTLS, ProxyProblem>
    ) {
        let endpoint = "\(host):\(port)"
        var lines = [
            "cloud-release-emulator listening on http://\(endpoint)",
            configuration.clockRuns
                ? "virtual clock: \(now.iso8601) (running with the wall clock; POST /_cloudrelease/clock {\"advance\": 3600} jumps ahead)"
                : "virtual clock: \(now.iso8601) (frozen; POST /_cloudrelease/clock {\"advance\": 3600})",
            "live page: http://\(endpoint)/_cloudrelease/",
            (["profiles: \(configuration.kinds.map { configuration.model($0).description }.joined(separator: ", "))"]
                + configuration.frontEnds.compactMap { $0.settingsSummary(configuration) }).joined(separator: "; "),
        ]
        switch configuration.authentication {
        case .acceptAnyKey:
            lines.append(
                "WARNING: no --access-key given: ANY key is accepted WITHOUT checking signatures, and each key id is its own account"
            )
        case .verify(let keys):
            lines.append(
                "signatures verified for \(keys.count) key(s): \(keys.map { "\($0.id)→\($0.account)" }.joined(separator: ", "))"
            )
        }
        lines.append("")
        lines += configuration.frontEnds.flatMap { $0.clientHints(endpoint: endpoint) }
        switch proxy {
        case .success(let proxy):
            lines += [
                "",
                "or, with no code change, as the HTTPS proxy of \(ProxyDomains.served.map { "*.\($0)" }.joined(separator: " and ")) (other hosts are refused; CA \(proxy.authority.certificatePath)):",
            ]
            lines += proxy.environment(host: host, port: port)
        case .failure(let problem):
            lines += ["", "proxy mode off: no CA: \(problem.message)"]
        }
        lines.append("port: \(port)")
        for line in lines { Swift.print(line) }
        fflush(nil)
    }
}

/// What one connection may cost: its body, its idle time, and how many connections there may be at once.
struct ConnectionLimits: Sendable {
    var maximumBody: Int
    var idleTimeout: TimeAmount
    var maximumConnections: Int
}

/// Counts the open connections on the listening channel and closes a new one at once past the bound, so idle or
/// slow clients cannot take every file descriptor (1,100 idle clients under `ulimit -n 1024` stalled new ones).
final class ConnectionLimiter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let open: NIOLockedValueBox<Int>
    private let maximum: Int

    init(open: NIOLockedValueBox<Int>, maximum: Int) {
        self.open = open
        self.maximum = maximum
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = unwrapInboundIn(data)
        let admitted = open.withLockedValue { count in
            guard count < maximum else { return false }
            count += 1
            return true
        }
        guard admitted else {
            child.close(promise: nil)
            return
        }
        let open = self.open
        child.closeFuture.whenComplete { _ in open.withLockedValue { $0 -= 1 } }
        context.fireChannelRead(data)
    }
}

/// One HTTP/1.1 exchange at a time per connection: head and body collected (bounded), parsed and verified
/// outside the emulator's lock (``Emulator/prepare(_:configuration:wallClock:)``), handed to the core under it,
/// the answer written back. Everything the signatures need is passed on raw: target, headers in order, body.
///
/// Connection hygiene: a body announced larger than the bound is answered 413 before it is read, and the
/// connection closed; `Expect: 100-continue` is answered; a parser error (NIO answers it 400 with
/// `Connection: close`) and an idle keep-alive connection close the connection.
///
/// Proxy mode (Docs/Emulator.md, "Point your tools at it"): `CONNECT host:443` for an API host name
/// (``ProxyHosts``) is answered `200 Connection Established`, and the connection becomes TLS with a certificate
/// for that name (``ProxyTLS``) carrying a fresh HTTP pipeline and adapter, which serve the requests as on the
/// plain port; an absolute-form request (`GET http://ecs.aliyuncs.com/?…`) for such a name is served as its path
/// and query. Any other host is refused 403 and the connection closed: nothing is ever forwarded.
final class HTTPAdapter: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let emulator: NIOLockedValueBox<Served>
    private let configuration: EmulatorConfiguration
    private let limits: ConnectionLimits
    private let proxy: ProxyTLS?
    /// The host name this connection was tunnelled to (inside TLS), or nil on the plain connection.
    private let tunnelHost: String?
    /// The host of an accepted `CONNECT`, until its request ends and the tunnel opens.
    private var pendingTunnel: String?
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    /// Set once an answer was written before the request ended (413, CONNECT): the rest of it is dropped and the
    /// connection closes.
    private var answeredEarly = false
    /// Set while an injected latency holds an answer back (the idle timer must not close the connection).
    private var answerPending = false

    init(
        emulator: NIOLockedValueBox<Served>,
        configuration: EmulatorConfiguration,
        limits: ConnectionLimits,
        proxy: ProxyTLS?,
        tunnelHost: String? = nil
    ) {
        self.emulator = emulator
        self.configuration = configuration
        self.limits = limits
        self.proxy = proxy
        self.tunnelHost = tunnelHost
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(var requestHead):
            body.removeAll(keepingCapacity: true)
            answeredEarly = false
            if requestHead.method == .CONNECT {
                head = requestHead
                connect(requestHead.uri, context)
                return
            }
            if !requestHead.uri.hasPrefix("/") {
                // An absolute-form target: a plain-HTTP proxy request.
                guard let target = proxyTarget(requestHead.uri, context) else { return }
                requestHead.uri = target
            }
            head = requestHead
            if let length = requestHead.headers.first(name: "Content-Length").flatMap(Int.init),
                length > limits.maximumBody
            {
                answerTooLarge(context)
                return
            }
            if requestHead.headers.first(name: "Expect")?.lowercased() == "100-continue" {
                context.writeAndFlush(
                    wrapOutboundOut(.head(HTTPResponseHead(version: requestHead.version, status: .continue))),
                    promise: nil
                )
            }
        case .body(var buffer):
            guard !answeredEarly else { return }
            if body.count + buffer.readableBytes > limits.maximumBody {
                answerTooLarge(context)
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            if let host = pendingTunnel {
                pendingTunnel = nil
                openTunnel(to: host, context)
                return
            }
            if answeredEarly {
                head = nil
                context.close(promise: nil)
                return
            }
            guard let requestHead = head else { return }
            head = nil
            let request = RawRequest(
                method: requestHead.method.rawValue,
                target: requestHead.uri,
                headers: requestHead.headers.map { (name: $0.name, value: $0.value) },
                body: body
            )
            let wallClock = WallClock.now()
            let prepared = Emulator.prepare(request, configuration: configuration, wallClock: wallClock)
            let response = emulator.withLockedValue { $0.handle(prepared, wallClock: wallClock) }
            let keepAlive = requestHead.isKeepAlive
            let bodiless = requestHead.method == .HEAD
            if response.dropsConnection {
                // An injected dropped connection (Docs/Emulator.md, "Faults on demand").
                context.close(promise: nil)
            } else if response.delayMilliseconds > 0 {
                // An injected latency: held on the event loop, not under the lock.
                answerPending = true
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(response.delayMilliseconds))) {
                    self.answerPending = false
                    self.write(response, to: context, keepAlive: keepAlive, bodiless: bodiless)
                }
            } else {
                write(response, to: context, keepAlive: keepAlive, bodiless: bodiless)
            }
        }
    }

    /// A connection idle for the timeout closes; one whose request stalled part-way (a head and then nothing) is
    /// answered 408 first; one waiting for an injected latency's answer is left to get it.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case IdleStateHandler.IdleStateEvent.read = event {
            guard !answerPending else { return }
            if head != nil, !answeredEarly {
                answerEarly(408, "RequestTimeout", "the request did not arrive whole within the idle timeout", context)
            } else {
                context.close(promise: nil)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// A parser error has been answered 400 with `Connection: close` by NIO's error handler: close, as it says.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// `CONNECT host:port`: accepted (the tunnel opens when the request ends) for an API host name on port 443 when
    /// the CA is at hand; otherwise answered and the connection closed.
    private func connect(_ target: String, _ context: ChannelHandlerContext) {
        guard tunnelHost == nil else {
            answerEarly(405, "MethodNotAllowed", "CONNECT inside a tunnel is not served", context)
            return
        }
        guard let authority = ProxyHosts.authority(target) else {
            answerEarly(400, "BadRequest", "CONNECT needs host:port", context)
            return
        }
        guard let host = ProxyHosts.served(authority.host, among: ProxyDomains.served), authority.port == 443 else {
            answerEarly(403, "ProxyRefused", ProxyTLS.refusal(String(target.prefix(100))), context)
            return
        }
        guard proxy != nil else {
            answerEarly(503, "ProxyUnavailable", "the proxy mode is off: no CA (see the banner)", context)
            return
        }
        pendingTunnel = host
    }

    /// The origin-form target of an absolute-form request (`http://ecs.aliyuncs.com/?…` → `/?…`) for an API host
    /// name; otherwise the request is answered 403 (or 400) and nil returned.
    private func proxyTarget(_ uri: String, _ context: ChannelHandlerContext) -> String? {
        let scheme = "http://"
        guard uri.lowercased().hasPrefix(scheme) else {
            answerEarly(400, "BadRequest", "the request target must be a path or an http:// URL", context)
            return nil
        }
        let rest = uri.dropFirst(scheme.count)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        let name =
            authority.hasPrefix("[") || !authority.contains(":")
            ? String(authority) : ProxyHosts.authority(String(authority))?.host ?? ""
        guard ProxyHosts.served(name, among: ProxyDomains.served) != nil else {
            answerEarly(403, "ProxyRefused", ProxyTLS.refusal(String(authority.prefix(100))), context)
            return nil
        }
        let target = rest[end...]
        return target.hasPrefix("/") ? String(target) : "/" + target
    }

    /// Answers the accepted `CONNECT` and turns the connection into a TLS tunnel serving `host`: the 200 goes out
    /// in plain text below the HTTP handlers, which are then replaced by TLS and a fresh HTTP pipeline.
    private func openTunnel(to host: String, _ context: ChannelHandlerContext) {
        guard let proxy else { return }
        let pipeline = context.pipeline.syncOperations
        do {
            let sslContext = try proxy.context(for: host)
            let idle = try pipeline.context(handlerType: IdleStateHandler.self)
            let established = context.channel.allocator.buffer(string: "HTTP/1.1 200 Connection Established\r\n\r\n")
            idle.writeAndFlush(NIOAny(established), promise: nil)
            for name in HTTPStack.names { pipeline.removeHandler(name: name, promise: nil) }
            try pipeline.addHandler(NIOSSLServerHandler(context: sslContext))
            try HTTPStack.add(
                to: pipeline,
                adapter: HTTPAdapter(
                    emulator: emulator,
                    configuration: configuration,
                    limits: limits,
                    proxy: proxy,
                    tunnelHost: host
                )
            )
        } catch {
            FileHandle.standardError.write(Data("cloud-release-emulator: tunnel to \(host): \(error)\n".utf8))
            context.close(promise: nil)
        }
    }

    /// Answers before the request has ended (CONNECT, a body too large, a stalled request) and closes the
    /// connection; the rest of the request is read and dropped meanwhile, so the client gets the answer rather
    /// than a reset.
    /// 413 for a body larger than the bound, announced or arriving.
    private func answerTooLarge(_ context: ChannelHandlerContext) {
        answerEarly(413, "RequestEntityTooLarge", "the body is larger than \(limits.maximumBody) bytes", context)
    }

    private func answerEarly(_ status: Int, _ code: String, _ message: String, _ context: ChannelHandlerContext) {
        answeredEarly = true
        let body = "{\"Code\":\"\(code)\",\"Message\":\"\(message)\"}"
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if status == 405 { headers.append(("Allow", "GET, POST")) }
        let response = RawResponse(status: status, headers: headers, body: Array(body.utf8))
        write(response, to: context, keepAlive: false, halfClose: true)
    }

    /// Writes an answer with its length; an answer to HEAD carries the length of the body it leaves out.
    private func write(
        _ response: RawResponse,
        to context: ChannelHandlerContext,
        keepAlive: Bool,
        bodiless: Bool = false,
        halfClose: Bool = false
    ) {
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        headers.add(name: "Content-Length", value: String(response.body.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(
            version: .http1_1,
            status: HTTPResponseStatus(statusCode: response.status),
            headers: headers
        )
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !bodiless {
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            // An early answer closes only our side: the client's remaining bytes are read and dropped, and the
            // connection closes when its request ends (or at the idle timeout), so it reads the answer, not a reset.
            let channel = context.channel
            done.whenComplete { _ in channel.close(mode: halfClose ? .output : .all, promise: nil) }
        }
    }
}

/// The HTTP/1.1 handlers of a connection, plain or inside a tunnel, named so a `CONNECT` can take them out.
enum HTTPStack {
    static let names = ["http-encoder", "http-decoder", "http-pipelining", "http-errors", "emulator"]

    /// configureHTTPServerPipeline's parts, but with the encoder framing every answer from its own status: NIO's
    /// paired encoder drops the length and body of any answer to a CONNECT, and a 403 needs both (RFC 9110 §9.3.6
    /// forbids them only on a 2xx). HEAD answers are bodiless here.
    static func add(to pipeline: ChannelPipeline.SynchronousOperations, adapter: HTTPAdapter) throws {
        try pipeline.addHandler(HTTPResponseEncoder(), name: names[0])
        try pipeline.addHandler(
            ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)),
            name: names[1]
        )
        try pipeline.addHandler(HTTPServerPipelineHandler(), name: names[2])
        try pipeline.addHandler(HTTPServerProtocolErrorHandler(), name: names[3])
        try pipeline.addHandler(adapter, name: names[4])
    }
}

extension EmulatorCommand {
    /// Reads `--prices FILE` (Docs/Prices.md) with the package's one price-object reading; a bad file is a
    /// validation error naming the file and the key.
    static func priceBook(_ path: String) throws -> PriceBook {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 20 else {
            throw ValidationError("--prices \(path.prefix(200)): not a readable file of at most 1 MiB")
        }
        guard let object = try? JSONDecoder().decode([String: PriceValue].self, from: data) else {
            throw ValidationError("--prices \(path.prefix(200)): not a JSON object of prices")
        }
        do throws(PriceObjectProblem) {
            return try PriceBook.reading(object)
        } catch {
            let at = error.path.isEmpty ? "" : " \(error.path.joined(separator: "."))"
            throw ValidationError("--prices \(path.prefix(200))\(at): \(error.reason)")
        }
    }
}

EmulatorCommand.main()
