import Foundation
import XCTest
import JSONRPC
import TestSupport

/// What a running daemon has mapped, read from /proc: a SQLite workspace's daemon that has
/// reviewed and committed an import (accented headers, Spanish messages, an automatic import
/// tag, a result file) loads neither Foundation proper nor ICU, nor libpq.
final class LinkedLibrariesWireTests: XCTestCase {
    func testADaemonThatImportedMapsNoFoundationICUOrLibPQ() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/proc/self/maps"), "needs /proc")
        let folder = try TemporaryDirectory(prefix: "linked-libraries")
        let wire = try ImportWire(locale: "es", arguments: ["--workspace", folder.path + "/ws"])
        let csv = "Nombre,Apellido,Teléfono,Correo electrónico\nAna,Ruiz,+34612345678,ana@example.com\nEva,,no es un teléfono,\n"
        let session = try wire.open(csv)
        _ = try wire.client.request("import/suggestMapping", ["sessionId": .string(session)])
        let review = try wire.review(session, "addAndUpdate", mapping: [
            mapped(0, "firstName"), mapped(1, "lastName"), mapped(2, "phone"), mapped(3, "email"),
        ])
        XCTAssertNotNil(review["importTag"]?.stringValue, "an automatic import tag in local time")
        let commit = try wire.commit(session, review)
        XCTAssertEqual(commit["state"], "completed", "\(commit)")
        XCTAssertEqual(commit["counts"]?["imported"], 1)

        let pid = try XCTUnwrap(wire.client.connection.processIdentifier)
        let maps = try wholeProcFile("/proc/\(pid)/maps")
        let libraries = Set(maps.split(separator: "\n").compactMap { line in
            line.split(separator: " ", omittingEmptySubsequences: true).last.map { String($0.split(separator: "/").last ?? "") }
        })
        XCTAssertTrue(libraries.contains("libFoundationEssentials.so"), "the daemon's maps were read: \(libraries.sorted())")
        for unwanted in ["libFoundation.so", "libFoundationInternationalization.so", "lib_FoundationICU.so", "libpq.so.5"] {
            XCTAssertFalse(libraries.contains(unwanted), "\(unwanted) is mapped")
        }
    }
}

/// A /proc file read to its end: it reports a size of zero and may give its lines a page at a time,
/// which a read sized by the file's length (as `String(contentsOfFile:)` can do) cuts short.
private func wholeProcFile(_ path: String) throws -> String {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw CocoaError(.fileReadNoPermission) }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { break }
        bytes.append(contentsOf: chunk[..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
}
