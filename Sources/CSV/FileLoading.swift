#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file with plain POSIX calls, checking what it is and how big it is before
/// reading a single byte of it: a 2 GB file is refused from its size, and a FIFO or a device
/// never blocks the reader.
enum FileLoading {
    static func load(path: String, maxBytes: Int) throws(CSVRejection) -> [UInt8] {
        var info = stat()
        if stat(path, &info) != 0 {
            throw failure(path: path, errno: errno)
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR { throw CSVRejection(reason: .unreadable, detail: CSVMessages.isDirectory(path)) }
        if kind != S_IFREG { throw CSVRejection(reason: .unreadable, detail: CSVMessages.notRegularFile(path)) }
        let size = Int(info.st_size)
        if size > maxBytes {
            throw CSVRejection(reason: .tooLarge, detail: CSVMessages.tooLarge(bytes: size, limit: maxBytes))
        }

        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw failure(path: path, errno: errno) }
        defer { close(descriptor) }

        // One byte more than the limit tells a file that grew since `stat` from one that did not.
        let capacity = min(size, maxBytes) + 1
        var bytes = [UInt8](repeating: 0, count: capacity)
        var filled = 0
        var readError: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while filled < capacity {
                let got = read(descriptor, base + filled, capacity - filled)
                if got < 0 {
                    if errno == EINTR { continue }
                    readError = errno
                    return
                }
                if got == 0 { return }
                filled += got
            }
        }
        if readError != 0 { throw failure(path: path, errno: readError) }
        if filled > maxBytes {
            throw CSVRejection(reason: .tooLarge, detail: CSVMessages.tooLarge(bytes: filled, limit: maxBytes))
        }
        bytes.removeLast(capacity - filled)
        return bytes
    }

    private static func failure(path: String, errno code: Int32) -> CSVRejection {
        switch code {
        case ENOENT, ENOTDIR:
            return CSVRejection(reason: .unreadable, detail: CSVMessages.fileNotFound(path))
        case EACCES, EPERM:
            return CSVRejection(reason: .unreadable, detail: CSVMessages.permissionDenied(path))
        case EISDIR:
            return CSVRejection(reason: .unreadable, detail: CSVMessages.isDirectory(path))
        default:
            let reason = String(cString: strerror(code))
            return CSVRejection(reason: .unreadable, detail: CSVMessages.readFailed(path, reason))
        }
    }
}
