// swift-tools-version:6.0
import PackageDescription

// No package dependencies: Foundation, Dispatch, XCTest and system C libraries only. The targets
// the daemon links import FoundationEssentials, never Foundation (which brings ICU).
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "ContactImporter",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "contact-importd", targets: ["contact-importd"]),
        .executable(name: "contact-import", targets: ["contact-import"]),
        .executable(name: "contact-import-bench", targets: ["contact-import-bench"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // PostgreSQL's client library's header, for the server-database workspace
        // (Workspace/Postgres). Not linked: `LibPQ` opens libpq.so.5 when a PostgreSQL workspace
        // is, so that a SQLite-only daemon never loads it and the libraries it needs.
        .systemLibrary(
            name: "CLibPQ",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "Localization", swiftSettings: strict),
        .target(name: "ThreadSupport", swiftSettings: strict),
        .target(name: "JSONRPC", dependencies: ["Localization", "ThreadSupport"], swiftSettings: strict),
        .target(name: "CSV", dependencies: ["Localization"], swiftSettings: strict),
        .target(name: "Contacts", dependencies: ["Localization"], swiftSettings: strict),
        .target(name: "Workspace", dependencies: ["CSQLite", "CLibPQ", "Contacts", "Localization", "ThreadSupport"], swiftSettings: strict),
        .target(name: "Importer", dependencies: ["CSV", "Contacts", "Workspace", "Localization", "ThreadSupport"], swiftSettings: strict),
        .target(name: "ImportServer", dependencies: ["JSONRPC", "Importer", "CSV", "Contacts", "Workspace", "Localization", "ThreadSupport"], swiftSettings: strict),
        // Replays recorded transcripts against fresh daemons (`contact-importd replay`, the tests).
        .target(name: "Transcripts", dependencies: ["JSONRPC", "Localization"], swiftSettings: strict),
        .target(name: "TestSupport", dependencies: ["JSONRPC", "Transcripts"], swiftSettings: strict),
        .executableTarget(name: "contact-importd", dependencies: ["ImportServer", "JSONRPC", "Transcripts"], swiftSettings: strict),
        // contact-importd is listed only so that `swift run contact-import` builds the daemon it starts
        // (an executable dependency orders the build; nothing of it is linked in).
        .executableTarget(name: "contact-import", dependencies: ["JSONRPC", "Contacts", "Localization", "contact-importd"],
                          swiftSettings: strict),
        .executableTarget(
            name: "contact-import-bench",
            dependencies: ["JSONRPC", "CSV", "Contacts", "Workspace", "Importer", "TestSupport", "Transcripts"],
            swiftSettings: strict
        ),
        // Reads Package.swift and every target's imports: the dependency graph stays declared and one-way.
        .testTarget(name: "ArchitectureTests", swiftSettings: strict),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC", "ThreadSupport", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "CSVTests", dependencies: ["CSV", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ContactsTests", dependencies: ["Contacts", "Localization", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "WorkspaceTests", dependencies: ["Workspace", "CSQLite", "Contacts", "Localization", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ImporterTests", dependencies: ["Importer", "CSV", "Contacts", "Workspace", "Localization", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ImportServerTests", dependencies: ["ImportServer", "JSONRPC", "CSV", "Contacts", "Workspace", "TestSupport", "Transcripts"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
