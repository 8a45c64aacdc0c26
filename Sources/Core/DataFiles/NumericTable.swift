import Foundation

/// A table of numbers read from a `.npy` array (1-D or 2-D) or a CSV (or tab-, semicolon- or space-separated) text
/// file: `rows × columns` values, row-major, with the column names of an optional header line. In text files, empty
/// lines and lines starting with `#` are skipped.
public struct NumericTable: Sendable, Equatable {
    public let columnNames: [String]?
    public let rows: Int
    public let columns: Int
    /// Row-major values; `values[r * columns + c]`.
    public let values: [Double]

    public subscript(row: Int, column: Int) -> Double { values[row * columns + column] }
    public func column(_ c: Int) -> [Double] { (0..<rows).map { values[$0 * columns + c] } }

    /// Reads `url`. A line whose fields are not all numbers is taken as the header only when it comes first; anywhere
    /// else it is an error naming the file, the line and the field. Every row must have the same number of fields,
    /// and `expectedColumns`, when given, must match: errors name the file with the expected and the found shape.
    public init(contentsOf url: URL, expectedColumns: Int? = nil, maxValues: Int = 200_000_000) throws {
        if url.pathExtension.lowercased() == "npy" {
            let a = try NPYArray(contentsOf: url)
            guard a.shape.count == 1 || a.shape.count == 2 else {
                throw DataFileError(file: url.path, message: "expected a 1-D or 2-D array (samples × columns), found shape \(a.shape)")
            }
            let w = a.shape.count == 2 ? a.shape[1] : 1
            if let e = expectedColumns, e != w {
                throw DataFileError(file: url.path, message: "expected a table of shape (rows, \(e)), found \(a.shape)")
            }
            try NumericTable.requireFiniteColumns(a.data, columns: w, names: nil, file: url.path)
            self.init(rows: a.shape[0], columns: w, values: a.data)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw DataFileError(file: url.path, message: "cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataFileError(file: url.path, message: "not UTF-8 text; expected a CSV table of numbers")
        }
        var header: [String]? = nil, values = [Double](), width: Int? = nil, count = 0, seenData = false
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = NumericTable.fields(line)
            let numbers = fields.map { Double($0) }
            if numbers.contains(where: { $0 == nil }) {
                if !seenData && header == nil { header = fields; width = fields.count; continue }
                let bad = fields[numbers.firstIndex { $0 == nil }!]
                throw DataFileError(file: url.path, message: "line \(i + 1): '\(bad)' is not a number")
            }
            if let w = width, w != fields.count {
                throw DataFileError(file: url.path, message: "expected \(w) columns (as on the first row), found \(fields.count) on line \(i + 1)")
            }
            width = fields.count
            seenData = true
            count += 1
            guard values.count + fields.count <= maxValues else { throw DataFileError(file: url.path, message: "more than \(maxValues) values") }
            values.append(contentsOf: numbers.map { $0! })
        }
        guard let w = width, count > 0 else { throw DataFileError(file: url.path, message: "no rows of numbers") }
        if let e = expectedColumns, e != w {
            throw DataFileError(file: url.path, message: "expected a table of shape (rows, \(e)), found (\(count), \(w))")
        }
        try NumericTable.requireFiniteColumns(values, columns: w, names: header, file: url.path)
        self.init(rows: count, columns: w, values: values, columnNames: header)
    }

    /// A column without a single finite number (all NaN or ±∞) would turn into NaN results without a word: it is an
    /// error naming the file and the column. Gaps (some NaN) are the analysis' business.
    static func requireFiniteColumns(_ values: [Double], columns: Int, names: [String]?, file: String) throws {
        guard columns > 0, !values.isEmpty else { return }
        var finite = [Bool](repeating: false, count: columns)
        for (i, x) in values.enumerated() where x.isFinite { finite[i % columns] = true }
        if let c = finite.firstIndex(of: false) {
            let name = names.flatMap { c < $0.count ? " ('\($0[c])')" : nil } ?? ""
            throw DataFileError(file: file, message: "column \(c)\(name) has no finite value (all NaN or infinite)")
        }
    }

    /// A table from values already in memory (row-major).
    public init(rows: Int, columns: Int, values: [Double], columnNames: [String]? = nil) {
        precondition(values.count == rows * columns)
        self.rows = rows; self.columns = columns; self.values = values; self.columnNames = columnNames
    }

    static func fields(_ line: String) -> [String] {
        let separators: Set<Character> = line.contains(",") ? [","] : line.contains(";") ? [";"] : line.contains("\t") ? ["\t"] : [" "]
        return line.split(omittingEmptySubsequences: separators != [" "], whereSeparator: { separators.contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
    }
}
