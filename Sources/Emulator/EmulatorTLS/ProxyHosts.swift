/// The host names the proxy mode serves: the API domains its front ends declare (each provider's, e.g.
/// `aliyuncs.com`), at any depth (`ecs.cn-hangzhou.aliyuncs.com`). Every other host is refused: the emulator never
/// forwards a request, so nothing leaves the machine.
public enum ProxyHosts {
    /// The host name in canonical form (lower case, no trailing dot) when it is one of `domains` or below one,
    /// else nil.
    public static func served(_ host: String, among domains: [String]) -> String? {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty, name.count <= 253,
            name.utf8.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }),
            !name.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty)
        else { return nil }
        return domains.contains { name == $0 || name.hasSuffix("." + $0) } ? name : nil
    }

    /// Splits a `CONNECT` target (`host:port`, or `[v6]:port`) into host and port; nil when it is not one.
    public static func authority(_ target: String) -> (host: String, port: Int)? {
        guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]),
            (1...65_535).contains(port)
        else { return nil }
        var host = target[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        return host.isEmpty ? nil : (String(host), port)
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
