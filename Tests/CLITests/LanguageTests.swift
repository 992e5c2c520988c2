import Foundation
import ProviderRegistry
import Reporting
import TestSupport
import Testing

/// `--lang zh` (issue 12.2, in part): explain, replay and forecast speak Chinese in the providers' own terms; JSON
/// keys and codes do not change.
@Suite("Chinese output")
struct LanguageTests {
    @Test(
        "The environment decides the default: LC_ALL, then LC_MESSAGES, then LANG",
        arguments: [
            (["LANG": "zh_CN.UTF-8"], Language.zh), (["LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"], .en),
            (["LC_ALL": "", "LANG": "zh_TW"], .zh), (["LANG": "C"], .en), ([:], .en), (["LC_MESSAGES": "zh_CN"], .zh),
        ]
    )
    func preferred(environment: [String: String], expected: Language) {
        #expect(Language.preferred(environment: environment) == expected)
    }

    @Test("Each provider's own verb: Aliyun 释放, Tencent 销毁; durations in Chinese units")
    func terms() {
        #expect(Language.zh.term("release", provider: "aliyun") == "释放")
        #expect(Language.zh.term("release", provider: "tencent@2025") == "销毁")
        #expect(Language.zh.term("scheduledRelease", provider: "tencent") == "定时销毁")
        #expect(Language.zh.term("recycleBin") == "回收站")
        #expect(Language.en.term("recycleBin") == "recycleBin")
        #expect(Language.zh.duration("1d 2h 30min 5s") == "1天2小时30分5秒")
        for word in [
            "pending", "starting", "running", "stopping", "stopped", "suspended", "recycleBin", "released",
            "compute", "disk", "elasticIP", "snapshot", "retained", "movedToDiskRecycleBin", "arrearsShutdown",
            "arrearsRelease", "subscriptionExpiry", "expiredRelease", "pay-as-you-go", "subscription",
        ] {
            #expect(Language.zh.term(word) != word, "no Chinese for \(word)")
        }
    }

    @Test("explain --lang zh: the providers' terms; LANG=zh_CN picks it; the JSON is the same shape")
    func explain() throws {
        let run = try BuiltTool.run(["explain", "--command", "release", "--lang", "zh"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("aliyun: 对运行中的按量付费实例执行释放"))
        #expect(run.stdout.contains("tencent: 对运行中的按量付费实例执行销毁"))
        #expect(run.stdout.contains("受理 → 回收站"))
        #expect(run.stdout.contains("拒绝：IncorrectInstanceStatus"))
        let byLocale = try BuiltTool.run(["explain", "--command", "release"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(byLocale.stdout == run.stdout)
        let english = try BuiltTool.run(
            ["explain", "--command", "release", "--lang", "en"],
            environment: ["LANG": "zh_CN.UTF-8"]
        )
        #expect(english.stdout.contains("release on a running pay-as-you-go instance"))
        func keys(_ json: String) throws -> [Set<String>] {
            let objects = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
            return objects.map { Set($0.keys) }
        }
        let zhJSON = try BuiltTool.run(["explain", "--command", "release", "--lang", "zh", "--format", "json"])
        let enJSON = try BuiltTool.run(["explain", "--command", "release", "--format", "json"])
        #expect(try keys(zhJSON.stdout) == keys(enJSON.stdout))
        #expect(zhJSON.stdout.contains("\"errorCode\" : \"IncorrectInstanceStatus\""))
    }

    @Test("replay --lang zh: headings and phases in Chinese, columns aligned by display width")
    func replay() throws {
        let run = try BuiltTool.run(["replay", "Examples/fleet.csv", "--lang", "zh", "--price", "compute=0.5"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("按最终状态统计实例："))
        #expect(run.stdout.contains("费用预测（CNY"))
        // Every row of a table ends in the same display column as its header.
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("  云厂商") })
        #expect(lines[header + 1].displayWidthForTests == lines[header].displayWidthForTests)
        let json = try BuiltTool.run(["replay", "Examples/fleet.csv", "--lang", "zh", "--format", "json"])
        #expect(json.stdout.contains("\"instances\""))
        #expect(!json.stdout.contains("运行中"))
    }

    @Test("forecast --lang zh: headers, events and the release answer in Chinese")
    func forecast() throws {
        let run = try BuiltTool.run([
            "forecast", "Examples/inventory/cvm-describe-instances.json", "Examples/inventory/cvm-action-timers.json",
            "--at", "2026-11-24T23:00:00Z", "--lang", "zh",
        ])
        #expect(run.status == 0)
        #expect(run.stdout.contains("定时销毁"))
        #expect(run.stdout.contains("→ 回收站，2小时内可恢复"))
        #expect(run.stdout.contains("24 小时内自动释放/销毁：2"))
    }
}

extension String {
    /// Terminal columns, CJK counting two (the test's own count, independent of the renderer's).
    var displayWidthForTests: Int {
        unicodeScalars.reduce(0) { width, scalar in
            width
                + ((0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                    || (0xAC00...0xD7A3).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value) ? 2 : 1)
        }
    }
}

extension LanguageTests {
    @Test("compare --lang zh: every question in Chinese, the providers' verbs, the same ids and codes in JSON")
    func compare() throws {
        let run = try BuiltTool.run(["compare", "--lang", "zh"], environment: ["COLUMNS": "160"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("释放/销毁运行中的按量付费实例"))
        #expect(run.stdout.contains("→ 回收站，2小时内可恢复 (T2)"))
        #expect(run.stdout.contains("→ 已释放，不可恢复"))
        #expect(run.stdout.contains("+1小时 已销毁"))
        let zh = try BuiltTool.run(["compare", "--lang", "zh", "--format", "json"])
        let en = try BuiltTool.run(["compare", "--format", "json"])
        struct Rows: Decodable {
            struct Row: Decodable {
                var id: String
                var question: String
                var cells: [Cell]
            }
            struct Cell: Decodable { var sources: [String] }
            var rows: [Row]
        }
        let chinese = try JSONDecoder().decode(Rows.self, from: Data(zh.stdout.utf8))
        let english = try JSONDecoder().decode(Rows.self, from: Data(en.stdout.utf8))
        #expect(chinese.rows.map(\.id) == english.rows.map(\.id))
        #expect(chinese.rows.map { $0.cells.map(\.sources) } == english.rows.map { $0.cells.map(\.sources) })
        // Every question has its Chinese: none is left in English.
        for (zhRow, enRow) in zip(chinese.rows, english.rows) where enRow.question != "Release API" {
            #expect(zhRow.question != enRow.question, "no Chinese for \(enRow.id)")
        }
    }
}

extension LanguageTests {
    @Test("simulate --lang zh: the timeline, the final difference and the expectations in Chinese; JUnit unchanged")
    func simulate() throws {
        let run = try BuiltTool.run(["simulate", "Examples/restore-after-1h.json", "--lang", "zh"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("场景：Restore 1 hour after a manual release"))
        #expect(run.stdout.contains("→ 回收站，回收站到期 +2小时 (T2)"))
        #expect(run.stdout.contains("拒绝：InvalidAction.NotFound"))
        #expect(run.stdout.contains("结束时（+5小时）："))
        #expect(run.stdout.contains("✓ Examples/restore-after-1h.json:7: tencent: 状态 回收站"))
        #expect(run.stdout.contains("✓ Examples/restore-after-1h.json:9: aliyun: 错误 InvalidAction.NotFound"))
        #expect(run.stdout.contains("✓ Examples/restore-after-1h.json:10: tencent: 回收站到期 无"))
        #expect(run.stdout.contains("API 状态                  （未列出）"))
        #expect(run.stdout.contains("通过 7 项，失败 0 项"))
        let junit = try BuiltTool.run([
            "simulate", "Examples/restore-after-1h.json", "--lang", "zh", "--format", "junit",
        ])
        let english = try BuiltTool.run(["simulate", "Examples/restore-after-1h.json", "--format", "junit"])
        #expect(junit.stdout == english.stdout)
    }

    @Test("--format html --lang zh: the pages speak Chinese; the elements the browser check looks for are the same")
    func html() throws {
        let zh = try BuiltTool.run(["simulate", "Examples/restore-after-1h.json", "--format", "html", "--lang", "zh"])
        let en = try BuiltTool.run(["simulate", "Examples/restore-after-1h.json", "--format", "html"])
        #expect(zh.status == 0 && en.status == 0)
        #expect(zh.stdout.contains("<html lang=\"zh-CN\">"))
        for text in [">回收站<", ">已释放<", ">计费 云盘<", "<th>预期</th>", ">状态 回收站<", ">+5小时<"] {
            #expect(zh.stdout.contains(text), "no \(text)")
        }
        func count(_ page: String, _ element: String) -> Int { page.components(separatedBy: element).count - 1 }
        for element in ["class=\"band\"", "class=\"mark\"", "class=\"billed\"", "<tr class="] {
            #expect(count(zh.stdout, element) == count(en.stdout, element), "\(element)")
        }
        let replay = try BuiltTool.run(["replay", "Examples/fleet.csv", "--format", "html", "--lang", "zh"])
        #expect(replay.stdout.contains("按最终状态统计的实例"))
        #expect(replay.stdout.contains("tencent 已销毁: 1"))
        #expect(replay.stdout.contains("<html lang=\"zh-CN\">"))
    }
}
