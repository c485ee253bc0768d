#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Path helpers the workspace needs (Foundation's NSString ones are not in FoundationEssentials).

/// The last component of a path ("/a/b/" → "b"; "/" → "/").
func lastPathComponent(_ path: String) -> String {
    let parts = path.split(separator: "/", omittingEmptySubsequences: true)
    guard let last = parts.last else { return path.isEmpty ? "" : "/" }
    return String(last)
}

/// "~" expanded, "." and empty components removed and, in an absolute path, ".." taken back: what
/// `standardizingPath` did for paths without symbolic links (a relative path keeps its "..").
func standardizedPath(_ path: String, home: @autoclosure () -> String = homeDirectory()) -> String {
    guard !path.isEmpty else { return path }
    var path = path
    if path == "~" || path.hasPrefix("~/") { path = home() + path.dropFirst() }
    let absolute = path.hasPrefix("/")
    var kept: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
        switch part {
        case ".": continue
        case "..":
            if !absolute { kept.append(part) } else if !kept.isEmpty { kept.removeLast() }
        default: kept.append(part)
        }
    }
    let joined = kept.joined(separator: "/")
    if absolute { return "/" + joined }
    return joined.isEmpty ? "." : joined
}

/// $HOME's fallback: the user's home from the password database, else "/".
func homeDirectory() -> String {
    if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir { return String(cString: directory) }
    return "/"
}
