import AnalysisKit
import DataFiles
import Numerics

/// `demo.data_mean`: the mean and standard error of one column of a user's CSV table, read through the data-access
/// API (so the file's checksum enters the cache). Used by the "your own data" example and the cache tests.
enum DataMeanDemo {
    static let descriptor = AnalysisDescriptor(
        name: "demo.data_mean",
        summary: "Mean ± standard error of a column of a CSV table of numbers (data: path or manifest id; column: 0-based)") { ctx in
        let p = ctx.parameters
        let url = try ctx.dataFile("data", default: "")
        let column = try p.int("column", default: 0, range: 0...100_000)
        let table = try NumericTable(contentsOf: url)
        guard column < table.columns else {
            throw ParameterError(key: "column", line: p.entries["column"]?.line,
                                 message: "column \(column) is out of range: \(url.lastPathComponent) has \(table.columns) column(s)")
        }
        let x = table.column(column)
        let error = x.count > 1 ? Stats.standardError(x) : nil
        return AnalysisOutput(values: [Scalar("demo.data_mean", Stats.mean(x), error: error, significantFigures: 4),
                                       Scalar("demo.data_rows", Double(table.rows), significantFigures: 6)],
                              notes: ["demo.data_mean: \(table.rows) rows × \(table.columns) columns from \(url.lastPathComponent)"])
    }
}
