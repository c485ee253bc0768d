/// Turns the file's bytes into one UTF-8 buffer, so the parser has a single code path whatever
/// the spreadsheet program wrote. UTF-8 input is used as is (only the BOM is skipped); UTF-16
/// and Windows-1252 are transcoded once, up front.
enum TextDecoding {
    struct Decoded {
        var utf8: [UInt8]
        /// Where the text starts in `utf8` (3 when a UTF-8 BOM is skipped without copying).
        var start: Int
        var encoding: TextEncoding
        var hasBOM: Bool
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
            encoding = isValidUTF8(bytes) ? .utf8 : .windows1252
        }
        // A BOM only counts when it belongs to the encoding actually used: a forced
        // windows-1252 reading of a UTF-8 file keeps "ï»¿" visible, as the user asked.
        let hasBOM = bom == encoding
        let skip = hasBOM ? bomLength(encoding) : 0
        switch encoding {
        case .utf8:
            return Decoded(utf8: bytes, start: skip, encoding: encoding, hasBOM: hasBOM)
        case .utf16LE, .utf16BE:
            let out = transcodeUTF16(bytes, from: skip, bigEndian: encoding == .utf16BE)
            return Decoded(utf8: out, start: 0, encoding: encoding, hasBOM: hasBOM)
        case .windows1252:
            return Decoded(utf8: transcodeWindows1252(bytes), start: 0, encoding: encoding, hasBOM: false)
        }
    }

    // MARK: UTF-8 validation

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
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count - start) / 2 * 3 / 2 + 16)
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
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    if i + 1 < count {
                        let low = unit(i)
                        if low >= 0xDC00 && low <= 0xDFFF {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 2
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    scalar = 0xFFFD
                }
                appendUTF8(scalar, to: &out)
            }
            // A dangling odd byte cannot be a character; show that something was there.
            if i < count { appendUTF8(0xFFFD, to: &out) }
        }
        return out
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

    static func transcodeWindows1252(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        for byte in bytes {
            if byte < 0x80 {
                out.append(byte)
            } else {
                appendUTF8(windows1252Scalar(byte), to: &out)
            }
        }
        return out
    }
}
