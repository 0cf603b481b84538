import ChildProgram
import Foundation
import Testing

/// A real headless browser (Chromium) reading a page the service rendered: the page is saved
/// to a file, Chromium parses it and dumps its DOM, and the test reads the text a person would
/// see. Chromium is a test prerequisite like PostgreSQL (`apt-get install chromium`; `.ci/run`
/// installs it); `DDAS_BROWSER` names another binary.
enum BrowserCheck {
    struct BrowserMissing: Error, CustomStringConvertible {
        var description: String {
            "no headless browser: install Chromium (apt-get install chromium) or set DDAS_BROWSER to a Chromium or Chrome binary"
        }
    }

    /// The browser binary.
    static func browser() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["DDAS_BROWSER"], !configured.isEmpty { return configured }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        throw BrowserMissing()
    }

    /// The DOM Chromium builds from `html`, serialised. The browser runs as a child the test
    /// awaits without holding a thread of the concurrency pool.
    static func dom(of html: String) async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ddas-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("pagina.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let run = try await ChildProgram.run(
            try browser(),
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(folder.appendingPathComponent("profiel").path)", "--dump-dom", page.absoluteString,
            ])
        #expect(run.status == 0, "the browser exited with \(run.status)")
        return run.output
    }

    /// A screenshot of `html` as the browser draws it, written to `path` (PNG, 1280 wide).
    static func screenshot(of html: String, to path: URL, height: Int = 2400) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ddas-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        let page = folder.appendingPathComponent("pagina.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let run = try await ChildProgram.run(
            try browser(),
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                "--user-data-dir=\(folder.appendingPathComponent("profiel").path)", "--window-size=1280,\(height)",
                "--screenshot=\(path.path)", page.absoluteString,
            ])
        #expect(run.status == 0, "the browser exited with \(run.status)")
    }

    /// The text of the page as the browser parsed it: the body's text, tags dropped, white
    /// space collapsed, the common entities read.
    static func visibleText(of html: String) async throws -> String {
        let dom = try await dom(of: html)
        guard let start = dom.range(of: "<body"), let end = dom.range(of: "</body>", options: .backwards) else {
            Issue.record("the browser's DOM has no body: \(dom.prefix(200))")
            return ""
        }
        var text = ""
        var inTag = false
        for character in dom[start.lowerBound..<end.lowerBound] {
            if character == "<" {
                inTag = true
                text.append(" ")
            } else if character == ">" {
                inTag = false
            } else if !inTag {
                text.append(character)
            }
        }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
