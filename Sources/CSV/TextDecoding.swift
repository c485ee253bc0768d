/// Turns the file's bytes into a buffer the parser can scan with one code path whatever the
/// spreadsheet program wrote: UTF-8 input is used as is (only the BOM is skipped); UTF-16 is
/// transcoded to UTF-8 once, up front. Windows-1252 is kept as it is: every byte the parser
/// looks at (delimiters, quotes, line ends) is ASCII and means the same in both encodings, so
/// the index is built on the original bytes and only the cells asked for are transcoded. That
/// saves a pass and a copy of the file (1252 text grows when written as UTF-8).
enum TextDecoding {
    struct Decoded {
        /// UTF-8, or the original bytes when `encoding` is Windows-1252.
        var text: [UInt8]
        /// Where the text starts in `text` (3 when a UTF-8 BOM is skipped without copying).
        var start: Int
        var encoding: TextEncoding
        var hasBOM: Bool
        /// Offsets in `text` of bytes that are not valid UTF-8 in a file read as UTF-8 anyway
        /// (at most 10,000).
        var invalidOffsets: [Int] = []
    }

    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The encoding a byte order mark announces, if any.
    static func byteOrderMark(_ bytes: [UInt8]) -> TextEncoding? {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { return .utf8 }
        if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE { return .utf16LE }
        if bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF { return .utf16BE }
        return nil
    }

    /// UTF-16 saved without a byte order mark (some exporters do): Latin text then has a zero
    /// in every other byte. Needs nearly all of the first 2,048 code units to agree.
    static func byteOrderWithoutMark(_ bytes: [UInt8]) -> TextEncoding? {
        let pairs = min(bytes.count, 4096) / 2
        guard pairs >= 2 else { return nil }
        var littleEndian = 0
        var bigEndian = 0
        for k in 0..<pairs {
            let first = bytes[2 * k]
            let second = bytes[2 * k + 1]
            if first != 0 && second == 0 { littleEndian += 1 }
            if first == 0 && second != 0 { bigEndian += 1 }
        }
        if littleEndian * 10 >= pairs * 9 { return .utf16LE }
        if bigEndian * 10 >= pairs * 9 { return .utf16BE }
        return nil
    }

    static func bomLength(_ encoding: TextEncoding) -> Int {
        switch encoding {
        case .utf8: return 3
        case .utf16LE, .utf16BE: return 2
        case .windows1252: return 0
        }
    }

    static func decode(_ bytes: [UInt8], forced: TextEncoding?) -> Decoded {
        let bom = byteOrderMark(bytes)
        let encoding: TextEncoding
        if let forced {
            encoding = forced
        } else if let bom {
            encoding = bom
        } else if let guessed = byteOrderWithoutMark(bytes) {
            encoding = guessed
        } else {
            encoding = isValidUTF8(bytes) || mostlyUTF8(bytes) ? .utf8 : .windows1252
        }
        // A BOM only counts when it belongs to the encoding actually used: a forced
        // windows-1252 reading of a UTF-8 file keeps "ï»¿" visible, as the user asked.
        let hasBOM = bom == encoding
        let skip = hasBOM ? bomLength(encoding) : 0
        switch encoding {
        case .utf8:
            let invalid = isValidUTF8(bytes) ? [] : utf8Survey(bytes).invalidOffsets
            return Decoded(text: bytes, start: skip, encoding: encoding, hasBOM: hasBOM, invalidOffsets: invalid)
        case .utf16LE, .utf16BE:
            let out = transcodeUTF16(bytes, from: skip, bigEndian: encoding == .utf16BE)
            return Decoded(text: out, start: 0, encoding: encoding, hasBOM: hasBOM)
        case .windows1252:
            return Decoded(text: bytes, start: 0, encoding: encoding, hasBOM: false)
        }
    }

    // MARK: UTF-8 validation

    /// A UTF-8 file but for a few bytes (one bad byte, or at most one per four valid multi-byte
    /// sequences): Windows-1252 text has its accented letters as lone high bytes, so nearly none
    /// of its sequences are valid UTF-8.
    static func mostlyUTF8(_ bytes: [UInt8]) -> Bool {
        let survey = utf8Survey(bytes)
        return survey.valid > 0 && (survey.invalid == 1 || survey.invalid * 4 <= survey.valid)
    }

    /// Counts valid multi-byte sequences and invalid bytes (each byte that starts no valid
    /// sequence), keeping the first 10,000 invalid offsets.
    static func utf8Survey(_ bytes: [UInt8]) -> (valid: Int, invalid: Int, invalidOffsets: [Int]) {
        var valid = 0
        var invalid = 0
        var offsets: [Int] = []
        var i = 0
        let count = bytes.count
        while i < count {
            let lead = bytes[i]
            if lead < 0x80 { i += 1; continue }
            var length = 0
            var lowest: UInt8 = 0x80
            var highest: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowest = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; highest = 0x9F
            case 0xF0: length = 4; lowest = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; highest = 0x8F
            default: length = 0
            }
            var ok = length > 0 && i + length <= count
            if ok {
                let second = bytes[i + 1]
                ok = second >= lowest && second <= highest
                var k = 2
                while ok && k < length {
                    ok = bytes[i + k] & 0xC0 == 0x80
                    k += 1
                }
            }
            if ok {
                valid += 1
                i += length
            } else {
                invalid += 1
                if offsets.count < 10_000 { offsets.append(i) }
                i += 1
            }
        }
        return (valid, invalid, offsets)
    }

    /// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF), with a
    /// word-at-a-time fast path because contact files are mostly ASCII.
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            let count = buffer.count
            let raw = UnsafeRawPointer(base)
            var i = 0
            while i < count {
                if i + 8 <= count {
                    let high = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & SWAR.highBits
                    if high == 0 {
                        i += 8
                        continue
                    }
                    // Jump straight to the first non-ASCII byte of the word.
                    i += SWAR.firstByte(high)
                }
                let lead = base[i]
                if lead < 0x80 {
                    i += 1
                    continue
                }
                // Accented Latin letters, nearly all the non-ASCII our users have, are 2 bytes.
                if lead >= 0xC2 && lead <= 0xDF && i + 1 < count && base[i + 1] & 0xC0 == 0x80 {
                    i += 2
                    continue
                }
                let length: Int
                var lowest: UInt8 = 0x80
                var highest: UInt8 = 0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; lowest = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; highest = 0x9F
                case 0xF0: length = 4; lowest = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; highest = 0x8F
                default: return false
                }
                if i + length > count { return false }
                let second = base[i + 1]
                if second < lowest || second > highest { return false }
                var k = 2
                while k < length {
                    if base[i + k] & 0xC0 != 0x80 { return false }
                    k += 1
                }
                i += length
            }
            return true
        }
    }

    // MARK: UTF-16

    static func transcodeUTF16(_ bytes: [UInt8], from start: Int, bigEndian: Bool) -> [UInt8] {
        // Each code unit becomes at most 3 bytes (a surrogate pair, 2 units, becomes 4); pages
        // of the over-allocation that are never written are never made resident.
        let capacity = max(bytes.count - start, 0) / 2 * 3 + 3
        return [UInt8](unsafeUninitializedCapacity: capacity) { out, initialized in
            var o = 0
            bytes.withUnsafeBufferPointer { buffer in
                let count = buffer.count
                @inline(__always) func unit(_ at: Int) -> UInt32 {
                    bigEndian ? UInt32(buffer[at]) << 8 | UInt32(buffer[at + 1])
                              : UInt32(buffer[at + 1]) << 8 | UInt32(buffer[at])
                }
                var i = start
                while i + 1 < count {
                    var scalar = unit(i)
                    i += 2
                    if scalar < 0x80 {
                        out[o] = UInt8(scalar)
                        o += 1
                        continue
                    }
                    if scalar >= 0xD800 && scalar <= 0xDBFF {
                        if i + 1 < count, case let low = unit(i), low >= 0xDC00 && low <= 0xDFFF {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 2
                        } else {
                            scalar = 0xFFFD
                        }
                    } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                        scalar = 0xFFFD
                    }
                    o += writeUTF8(scalar, to: out.baseAddress.unsafelyUnwrapped + o)
                }
                // A dangling odd byte cannot be a character; show that something was there.
                if i < count { o += writeUTF8(0xFFFD, to: out.baseAddress.unsafelyUnwrapped + o) }
            }
            initialized = o
        }
    }

    /// Writes the UTF-8 form of `scalar` (not ASCII) and returns its length.
    @inline(__always)
    static func writeUTF8(_ scalar: UInt32, to out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            out[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            out[0] = UInt8(0xC0 | scalar >> 6)
            out[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            out[0] = UInt8(0xE0 | scalar >> 12)
            out[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            out[0] = UInt8(0xF0 | scalar >> 18)
            out[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            out[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }

    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: Windows-1252

    /// Unicode scalars of bytes 0x80–0x9F in Windows-1252. The five bytes the code page leaves
    /// undefined map to the C1 control of the same value, as Windows itself does; 0xA0–0xFF
    /// are Latin-1.
    static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func windows1252Scalar(_ byte: UInt8) -> UInt32 {
        if byte >= 0x80 && byte < 0xA0 { return windows1252High[Int(byte - 0x80)] }
        return UInt32(byte)
    }

    /// UTF-8 bytes of 0x80–0xFF, packed little-endian with the length in the top byte.
    static let windows1252UTF8: [UInt32] = (0x80...0xFF).map { byte -> UInt32 in
        var encoded: [UInt8] = []
        appendUTF8(windows1252Scalar(UInt8(byte)), to: &encoded)
        var packed = UInt32(encoded.count) << 24
        for (i, unit) in encoded.enumerated() { packed |= UInt32(unit) << (8 * i) }
        return packed
    }

    static func transcodeWindows1252(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { transcodeWindows1252($0) }
    }

    /// One cell of a Windows-1252 file as a String; ASCII cells skip the transcoding.
    static func windows1252String(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: transcodeWindows1252(bytes), as: UTF8.self)
    }

    static func transcodeWindows1252(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard let base = input.baseAddress else { return [] }
        let table = windows1252UTF8
        let raw = UnsafeRawPointer(base)
        let count = input.count
        var length = 0
        var i = 0
        while i < count {
            if i + 8 <= count {
                let high = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & SWAR.highBits
                let ascii = high == 0 ? 8 : SWAR.firstByte(high)
                length += ascii
                i += ascii
                if ascii == 8 { continue }
            }
            let byte = base[i]
            length += byte < 0x80 ? 1 : Int(table[Int(byte) - 0x80] >> 24)
            i += 1
        }
        return [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
            guard let target = out.baseAddress else { return }
            var o = 0
            var i = 0
            while i < count {
                if i + 8 <= count && o + 8 <= length {
                    // Store the whole word, keep only its ASCII prefix; the rest is overwritten next.
                    let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    let high = word & SWAR.highBits
                    let ascii = high == 0 ? 8 : SWAR.firstByte(high)
                    UnsafeMutableRawPointer(target + o).storeBytes(of: word, as: UInt64.self)
                    o += ascii
                    i += ascii
                    if ascii == 8 { continue }
                }
                let byte = base[i]
                i += 1
                if byte < 0x80 {
                    target[o] = byte
                    o += 1
                } else {
                    let packed = table[Int(byte) - 0x80]
                    let units = Int(packed >> 24)
                    for k in 0..<units { target[o + k] = UInt8(truncatingIfNeeded: packed >> (8 * k)) }
                    o += units
                }
            }
            initialized = o
        }
    }
}
