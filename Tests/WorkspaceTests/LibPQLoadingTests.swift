import XCTest
@testable import Workspace

/// libpq is opened at run time (`LibPQ`), so a machine without it must get a sentence naming
/// it, not a crash, and only when a PostgreSQL workspace is asked for.
final class LibPQLoadingTests: XCTestCase {
    func testAMissingLibraryIsAReasonNamingIt() {
        guard case .failure(let unavailable) = LibPQ.open(names: ["libpq-not-installed.so.5"]) else {
            return XCTFail("a library that does not exist opened")
        }
        XCTAssertTrue(unavailable.reason.contains("libpq"), unavailable.reason)
        XCTAssertTrue(unavailable.reason.contains("libpq5"), unavailable.reason)
    }

    func testALibraryWithoutTheFunctionsIsRefusedNamingThem() {
        // The C library opens but has none of libpq's functions.
        guard case .failure(let unavailable) = LibPQ.open(names: ["libc.so.6"]) else {
            return XCTFail("libc was taken for libpq")
        }
        XCTAssertTrue(unavailable.reason.contains("PQconnectdb"), unavailable.reason)
    }

    func testTheInstalledLibraryHasEveryFunction() {
        // Building needs libpq-dev's header, and libpq-dev depends on libpq5: it is installed.
        if case .failure(let unavailable) = LibPQ.open(names: LibPQ.installedNames) {
            XCTFail(unavailable.reason)
        }
    }

}
