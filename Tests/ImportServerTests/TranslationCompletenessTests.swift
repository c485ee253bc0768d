import Foundation
import JSONRPC
import TestSupport
import XCTest

/// Portuguese is a whole third language: no message of the server, the command line or the
/// clients may lack it, fall back to another language, or be empty.
final class TranslationCompletenessTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// One `LocalizedText(...)` call of the source tree, with where it is.
    private struct Call {
        var file: String
        var line: Int
        var text: String
    }

    /// Every `LocalizedText(` call under Sources/, its arguments read with string literals and
    /// their interpolations skipped properly, so a `)` in a message does not end the call.
    private func localizedTextCalls() throws -> [Call] {
        let sources = Self.repository + "/Sources"
        let files = FileManager.default.enumerator(atPath: sources)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") } ?? []
        XCTAssertFalse(files.isEmpty, "no sources under \(sources)")
        var calls: [Call] = []
        for file in files.sorted() {
            let text = Array(try String(contentsOfFile: sources + "/" + file, encoding: .utf8).unicodeScalars)
            let marker = Array("LocalizedText(".unicodeScalars)
            var index = 0
            while index + marker.count <= text.count {
                guard Array(text[index..<(index + marker.count)]) == marker,
                      index == 0 || !(CharacterSet.alphanumerics.contains(text[index - 1])) else {
                    index += 1
                    continue
                }
                let start = index + marker.count
                let end = Self.skipCode(text, from: start, until: ")")
                let line = text[..<index].filter { $0 == "\n" }.count + 1
                calls.append(Call(file: file, line: line, text: String(String.UnicodeScalarView(text[start..<min(end, text.count)]))))
                index = end
            }
        }
        return calls
    }

    /// From `index` in code, the index of the unmatched `closing` (strings and nesting skipped).
    private static func skipCode(_ text: [Unicode.Scalar], from index: Int, until closing: Unicode.Scalar) -> Int {
        var index = index
        var depth = 0
        while index < text.count {
            let scalar = text[index]
            if scalar == "\"" {
                index = skipString(text, from: index)
                continue
            }
            if scalar == "(" || scalar == "[" { depth += 1 }
            if scalar == ")" || scalar == "]" {
                if depth == 0 && scalar == closing { return index }
                depth -= 1
            }
            index += 1
        }
        return index
    }

    /// From the opening quote(s) at `index`, the index just past the closing ones.
    private static func skipString(_ text: [Unicode.Scalar], from index: Int) -> Int {
        let triple = index + 2 < text.count && text[index + 1] == "\"" && text[index + 2] == "\""
        var position = index + (triple ? 3 : 1)
        while position < text.count {
            let scalar = text[position]
            if scalar == "\\", position + 1 < text.count {
                if text[position + 1] == "(" {
                    position = skipCode(text, from: position + 2, until: ")") + 1
                } else {
                    position += 2
                }
                continue
            }
            if scalar == "\"" {
                if !triple { return position + 1 }
                if position + 2 < text.count && text[position + 1] == "\"" && text[position + 2] == "\"" {
                    return position + 3
                }
            }
            position += 1
        }
        return position
    }

    func testEveryLocalizedTextOfTheSourcesHasThreeNonEmptyLanguages() throws {
        let calls = try localizedTextCalls()
        XCTAssertGreaterThan(calls.count, 200, "the scanner found too few texts to be reading the sources")
        for call in calls {
            // `LocalizedText(en:es:pt:)` itself, and calls that pass a whole text along, are not texts.
            guard call.text.contains("en:") else { continue }
            let place = "\(call.file):\(call.line)"
            for label in ["en:", "es:", "pt:"] {
                XCTAssertTrue(call.text.contains(label), "\(place) has no \(label) text: \(call.text)")
                let compact = call.text.replacingOccurrences(of: " ", with: "")
                let empty = compact.contains(label + "\"\"") && !compact.contains(label + "\"\"\"")
                XCTAssertFalse(empty, "\(place): the \(label) text is empty")
            }
            // Portuguese made of the Spanish text is the old fallback in disguise.
            if let portuguese = call.text.range(of: "pt:") {
                let tail = call.text[portuguese.upperBound...]
                XCTAssertFalse(tail.contains(".spanish") || tail.contains("text(.spanish)"),
                               "\(place): the Portuguese text is built from the Spanish one")
            }
        }
    }

    func testThePluginCatalogueHasEveryLanguage() throws {
        // The Python client's own words are its exceptions' (for programmers); the plugin's
        // catalogue is checked key by key by its headless test (missing_translations()); here,
        // that every entry of the catalogue file names all three languages.
        let path = Self.repository + "/clients/nvim/lua/contact_import/i18n.lua"
        let lua = try String(contentsOfFile: path, encoding: .utf8)
        var entries = 0
        for line in lua.split(separator: "\n") where line.contains("en = '") || line.contains("en = \"") {
            entries += 1
            if line.contains("es = ") {
                XCTAssertTrue(line.contains("pt = "), "a plugin message lacks Portuguese: \(line)")
            }
        }
        XCTAssertGreaterThan(entries, 40)
        XCTAssertEqual(lua.components(separatedBy: "  en = ").count, lua.components(separatedBy: "  pt = ").count,
                       "every multi-line entry of the plugin catalogue has pt")
    }

    func testTheDaemonAnswersInPortuguese() throws {
        func messages(_ locale: String) throws -> [String] {
            let client = try WireClient()
            _ = try client.initialize(locale: locale)
            var found: [String] = []
            found.append(try client.requestError("import/open", ["uri": "file:///nonexistent/contatos.csv"]).message)
            found.append(try client.requestError("import/open", ["text": "Nome,Telefone\n"]).message)
            found.append(try client.requestError("import/suggestMapping", ["sessionId": "s-nao-existe"]).message)
            found.append(try client.requestError("contacts/get", ["contactId": 4242]).message)
            found.append(try client.requestError("fields/create", ["name": "Nível", "type": "cor"]).message)
            let opened = try client.request("import/open", ["text": "Nome,Telefone\nAna,+5511912345671\n"])
            let session = opened["sessionId"] ?? .null
            found.append(try client.requestError("import/review", [
                "sessionId": session, "purpose": "addNew", "identifier": "email",
                "mapping": [["column": 1, "field": "phone"]],
            ]).message)
            let review = try client.request("import/review", [
                "sessionId": session, "purpose": "addNew", "identifier": "phone",
                "mapping": [["column": 0, "field": "firstName"], ["column": 1, "field": "phone"]],
            ])
            _ = review
            _ = try client.shutdownAndExit()
            return found
        }
        let english = try messages("en"), spanish = try messages("es"), portuguese = try messages("pt-BR")
        for (index, message) in portuguese.enumerated() {
            XCTAssertFalse(message.isEmpty)
            XCTAssertNotEqual(message, english[index], "message \(index) is English in Portuguese")
            XCTAssertNotEqual(message, spanish[index], "message \(index) is Spanish in Portuguese")
        }
    }
}
