import Foundation

/// `GET /_cloudrelease/`: one self-contained page (no network beyond this emulator, no build step) that shows
/// what the emulator holds and updates itself every second from the control plane's JSON: the virtual clock
/// with buttons to move it, each account's instances per provider with phase, protection, the next automatic
/// event and a countdown to it on the virtual clock, their disks, address and running meters, the injected
/// faults, and the journal's last changes. `?lang=zh` (or `--lang zh`) shows it in Chinese.
enum LivePage {
    /// `zh` when the query asks for it (or the emulator's default is zh and the query does not say `en`).
    static func language(query: String, default fallback: String) -> String {
        for pair in query.split(separator: "&") where pair.hasPrefix("lang=") {
            return pair.dropFirst(5) == "zh" ? "zh" : "en"
        }
        return fallback == "zh" ? "zh" : "en"
    }

    static func response(language: String) -> RawResponse {
        let words = language == "zh" ? chinese : english
        var page = template
        for (key, value) in words { page = page.replacingAll("{{\(key)}}", with: value) }
        page = page.replacingAll("{{lang}}", with: language == "zh" ? "zh-CN" : "en")
        return RawResponse(
            status: 200,
            headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
            body: Array(page.utf8)
        )
    }

    static let english: [(String, String)] = [
        ("title", "cloud-release-emulator"), ("clock", "Virtual clock"), ("advance", "Advance"),
        ("account", "Account"), ("instance", "Instance"), ("phase", "Phase"), ("protected", "Protected"),
        ("next", "Next automatic event"), ("in", "in"), ("resources", "Disks and address"),
        ("meters", "Billing now"), ("faults", "Injected faults"), ("changes", "Last changes"),
        ("none", "none"), ("yes", "yes"), ("no", "no"), ("updated", "updated"), ("offline", "emulator not reachable"),
        ("phases", "{}"),
    ]

    static let chinese: [(String, String)] = [
        ("title", "cloud-release-emulator 模拟器"), ("clock", "虚拟时钟"), ("advance", "前进"),
        ("account", "账户"), ("instance", "实例"), ("phase", "阶段"), ("protected", "释放保护"),
        ("next", "下一个自动事件"), ("in", "还有"), ("resources", "云盘与公网地址"),
        ("meters", "正在计费"), ("faults", "注入的故障"), ("changes", "最近的变更"),
        ("none", "无"), ("yes", "是"), ("no", "否"), ("updated", "更新于"), ("offline", "无法连接模拟器"),
        (
            "phases",
            #"{"pending": "创建中", "starting": "启动中", "running": "运行中", "stopping": "停止中", "stopped": "已停止", "#
                + #""suspended": "欠费停机", "recycleBin": "回收站", "released": "已释放"}"#
        ),
    ]

    static let template = #"""
        <!doctype html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <link rel="icon" href="data:,">
        <title>{{title}}</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d2733; }
        h1 { font-size: 1.3em; margin: 0 0 .5em; } h2 { font-size: 1.05em; margin: 1.4em 0 .4em; }
        table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #dde3ea; padding: .25em .5em; text-align: left; vertical-align: top; }
        th { background: #f3f6f9; } .phase { font-weight: 600; } .recycleBin, .suspended { color: #b35c00; } .released { color: #8a94a0; }
        .running { color: #1a7f37; } .stopped { color: #0b5cad; } code { font-size: 12px; } button { margin-right: .4em; }
        #status { color: #8a94a0; font-size: 12px; } .countdown { font-variant-numeric: tabular-nums; }
        </style>
        </head>
        <body>
        <h1>{{title}}</h1>
        <div><strong>{{clock}}:</strong> <span id="now">…</span>
          <span>{{advance}}:</span>
          <button data-advance="60">+1m</button><button data-advance="3600">+1h</button>
          <button data-advance="7200">+2h</button><button data-advance="86400">+1d</button>
          <button data-advance="93600">+26h</button><button data-advance="1296000">+15d</button>
          <span id="status"></span></div>
        <div id="instances"></div>
        <h2>{{faults}}</h2><div id="faults"></div>
        <h2>{{changes}}</h2><div id="changes"></div>
        <script>
        "use strict";
        const base = "/_cloudrelease/";
        const phaseWords = {{phases}};
        const words = { none: "{{none}}", yes: "{{yes}}", no: "{{no}}", updated: "{{updated}}", offline: "{{offline}}", in: "{{in}}" };
        function element(tag, text, className) {
          const node = document.createElement(tag);
          if (text !== undefined) node.textContent = text;
          if (className) node.className = className;
          return node;
        }
        function row(cells, header) {
          const tr = element("tr");
          for (const cell of cells) {
            const td = element(header ? "th" : "td");
            if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell;
            tr.appendChild(td);
          }
          return tr;
        }
        function duration(seconds) {
          const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
          return (d ? d + "d " : "") + String(h).padStart(2, "0") + ":" + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
        }
        function renderInstances(now, instances) {
          const host = document.getElementById("instances");
          host.replaceChildren();
          const groups = new Map();
          for (const instance of instances) {
            const key = instance.account + " · " + instance.provider;
            if (!groups.has(key)) groups.set(key, []);
            groups.get(key).push(instance);
          }
          for (const [key, list] of [...groups.entries()].sort()) {
            host.appendChild(element("h2", "{{account}}: " + key));
            const table = element("table");
            table.appendChild(row(["{{instance}}", "{{phase}}", "{{protected}}", "{{next}}", "{{resources}}", "{{meters}}"], true));
            for (const instance of list) {
              const next = [...instance.deadlines].sort((a, b) => a.at.localeCompare(b.at))[0];
              let nextCell = words.none;
              if (next) {
                const left = Math.max(0, (Date.parse(next.at) - Date.parse(now)) / 1000);
                nextCell = element("span", next.kind + " " + next.at + " (" + words.in + " " + duration(left) + ")", "countdown");
              }
              const disks = instance.disks.map(d => d.id + (d.deleteWithInstance ? "" : "*")).join(", ");
              const tr = row([
                element("code", instance.instance + (instance.name && instance.name !== instance.instance ? " (" + instance.name + ")" : "")),
                element("span", (phaseWords[instance.phase] || instance.phase) + " · " + instance.apiStatus, "phase " + instance.phase),
                instance.protected ? words.yes : words.no,
                nextCell,
                disks + " · " + instance.publicAddress,
                instance.meters.length ? instance.meters.join(", ") : words.none,
              ]);
              tr.dataset.instance = instance.instance;
              table.appendChild(tr);
            }
            host.appendChild(table);
          }
        }
        function renderFaults(faults) {
          const host = document.getElementById("faults");
          host.replaceChildren();
          if (!faults.length) { host.textContent = words.none; return; }
          const table = element("table");
          table.appendChild(row(["id", "fault", "provider", "action", "account", "instance", "remaining / rate", "matched", "injected"], true));
          for (const f of faults) {
            table.appendChild(row([f.id, f.fault, f.provider || "*", f.action || "*", f.account || "*", f.instance || "*",
              f.remaining !== undefined ? String(f.remaining) : f.rate + " (seed " + f.seed + ")", String(f.matched), String(f.injected)]));
          }
          host.appendChild(table);
        }
        function renderChanges(changes) {
          const host = document.getElementById("changes");
          host.replaceChildren();
          if (!changes.length) { host.textContent = words.none; return; }
          const list = element("ol");
          for (const line of changes.slice(-30).reverse()) list.appendChild(element("li", line)).className = "change";
          host.appendChild(list);
        }
        async function get(path) {
          const response = await fetch(base + path, { cache: "no-store" });
          if (!response.ok) throw new Error(path + ": " + response.status);
          return response.json();
        }
        async function refresh() {
          try {
            const [instances, faults, changes] = await Promise.all([get("instances"), get("faults"), get("changes")]);
            document.getElementById("now").textContent = instances.now;
            renderInstances(instances.now, instances.instances);
            renderFaults(faults.faults);
            renderChanges(changes.changes);
            document.getElementById("status").textContent = words.updated + " " + new Date().toLocaleTimeString();
          } catch (error) {
            document.getElementById("status").textContent = words.offline;
          }
        }
        for (const button of document.querySelectorAll("button[data-advance]")) {
          button.addEventListener("click", async () => {
            await fetch(base + "clock", { method: "POST", headers: { "Content-Type": "application/json" },
              body: JSON.stringify({ advance: Number(button.dataset.advance) }) });
            refresh();
          });
        }
        refresh();
        setInterval(refresh, 1000);
        </script>
        </body>
        </html>
        """#
}

extension String {
    /// The text with every occurrence of `target` replaced (Foundation-free, for the page's few placeholders).
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
