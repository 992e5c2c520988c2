public import ProviderRegistry
public import ReleaseCore

/// Each instance's end state after a replay, as CSV: `instance,account,provider,phase,api_status` and its
/// billed seconds per meter family over the replayed interval (`replay --per-instance FILE`).
public enum PerInstanceReport {
    /// The header line.
    public static let header =
        "instance,account,provider,phase,api_status,"
        + MeterFamily.allCases.map { "\($0.rawValue)_seconds" }.joined(separator: ",")

    /// Writes one line per instance, in launch order, through `write` (each line ends with a line feed). The
    /// fleet must keep per-instance billing (``TraceReplayer/Options/perInstanceBilling``).
    public static func write<Failure: Error>(
        _ fleet: Fleet<BuiltInInstance>,
        from start: Instant,
        _ write: (String) throws(Failure) -> Void
    ) throws(Failure) {
        try write(header + "\n")
        for handle in fleet.handles {
            let machine = fleet[handle]
            var fields = [
                machine.instance.id, fleet.account(of: handle), machine.provider.rawValue, machine.phase.rawValue,
                csvField(machine.apiStatus),
            ]
            for family in MeterFamily.allCases {
                fields.append(String(fleet.billedSeconds(of: handle, family, from: start, to: fleet.now).count))
            }
            try write(fields.joined(separator: ",") + "\n")
        }
    }

    /// A field quoted when it holds a comma or a quote (ids never do: the trace format forbids commas).
    static func csvField(_ text: String) -> String {
        guard text.contains(",") || text.contains("\"") else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
