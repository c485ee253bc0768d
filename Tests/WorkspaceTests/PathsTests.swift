import XCTest
@testable import Workspace

/// The path helpers that replaced NSString's (`standardizingPath`, `lastPathComponent`).
final class PathsTests: XCTestCase {
    func testStandardizedPaths() {
        XCTAssertEqual(standardizedPath("/tmp//ws/./a/../b/", home: "/home/ana"), "/tmp/ws/b")
        XCTAssertEqual(standardizedPath("~/contactos", home: "/home/ana"), "/home/ana/contactos")
        XCTAssertEqual(standardizedPath("~", home: "/home/ana"), "/home/ana")
        XCTAssertEqual(standardizedPath("/..", home: "/h"), "/")
        XCTAssertEqual(standardizedPath("ws/../otro", home: "/h"), "ws/../otro", "a relative path keeps its ..")
        XCTAssertEqual(standardizedPath("./ws", home: "/h"), "ws")
        XCTAssertEqual(standardizedPath("", home: "/h"), "")
        XCTAssertEqual(standardizedPath("~ana/x", home: "/h"), "~ana/x", "only the user's own ~ is expanded")
    }

    func testLastPathComponent() {
        XCTAssertEqual(lastPathComponent("/var/files/result-1.csv"), "result-1.csv")
        XCTAssertEqual(lastPathComponent("/a/b/"), "b")
        XCTAssertEqual(lastPathComponent("solo.csv"), "solo.csv")
        XCTAssertEqual(lastPathComponent("/"), "/")
    }
}
