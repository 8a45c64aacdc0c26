import Foundation

/// A report's text as the renderer reads it: UTF-8 with `\n` line endings. CRLF and lone CR endings are normalised
/// (line numbers stay those an editor shows); bytes that are not valid UTF-8 are replaced by U+FFFD and reported at
/// their line, so the page is still written with the error shown.
enum ReportSource {
    static func decode(_ data: Data, file: String) -> (text: String, problems: [ReportDiagnostic]) {
        var problems = [ReportDiagnostic]()
        let bytes = [UInt8](data)
        if let bad = firstInvalidUTF8(bytes) {
            // Lines end at \n, at \r\n, or at a lone \r.
            var line = 1, i = 0
            while i < bad {
                if bytes[i] == 0x0A || (bytes[i] == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) { line += 1 }
                i += 1
            }
            problems.append(ReportDiagnostic(file: file, line: line,
                                             message: "invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16)) at offset \(bad)); the report must be UTF-8 text"))
        }
        return (normalisingLineEndings(String(decoding: bytes, as: UTF8.self)), problems)
    }

    /// The text with CRLF and lone CR line endings replaced by LF.
    static func normalisingLineEndings(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// Offset of the first byte that does not belong to a well-formed UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        var i = 0
        while i < b.count {
            let c = b[i]
            let n: Int
            if c < 0x80 { i += 1; continue }
            else if c >= 0xC2 && c <= 0xDF { n = 1 }
            else if c >= 0xE0 && c <= 0xEF { n = 2 }
            else if c >= 0xF0 && c <= 0xF4 { n = 3 }
            else { return i }
            guard i + n < b.count else { return i }
            for k in 1...n where b[i + k] & 0xC0 != 0x80 { return i }
            // Overlongs and surrogates.
            if c == 0xE0 && b[i + 1] < 0xA0 { return i }
            if c == 0xED && b[i + 1] > 0x9F { return i }
            if c == 0xF0 && b[i + 1] < 0x90 { return i }
            if c == 0xF4 && b[i + 1] > 0x8F { return i }
            i += n + 1
        }
        return nil
    }
}
