import Foundation

/// A data file an analysis opened through `AnalysisContext.dataFile`: what the report wrote, where it resolved and the
/// file's sha256. The renderer records every one of these and puts the checksums into the result's cache key.
public struct DataInput: Codable, Equatable, Sendable {
    /// The parameter value as written (a manifest id such as `retina/bint_fishmovie32_100.mat`, or a path).
    public var spec: String
    /// True when `spec` named an entry of `datasets/manifest.json` (its checksum was verified against the manifest).
    public var isManifestID: Bool
    /// Absolute path of the resolved file.
    public var path: String
    /// Hex sha256 of the file's bytes when it was opened.
    public var sha256: String
    public init(spec: String, isManifestID: Bool, path: String, sha256: String) {
        self.spec = spec; self.isManifestID = isManifestID; self.path = path; self.sha256 = sha256
    }
}

/// Resolves a `data:`-style parameter value to a file: a manifest id, or a path relative to the report's folder.
/// The renderer supplies one that verifies manifest checksums and records every file it hands out. It does not know
/// which parameter the value came from: `dataFile(_:default:)` puts the key it was asked for into a `ParameterError`.
public typealias DataResolver = @Sendable (_ spec: String, _ line: Int?) throws -> DataInput

extension AnalysisContext {
    /// The data file named by parameter `key` (default `data`): a manifest id or a path relative to the report.
    /// When the directive does not set the parameter, `defaultID` (the paper's dataset) is used.
    /// Every file an analysis reads must come through here (or `dataset(_:)` for fixed manifest ids), so that its
    /// checksum enters the cache key; a bad path or checksum is reported at the parameter's line.
    public func dataFile(_ key: String = "data", default defaultID: String) throws -> URL {
        let given = parameters.raw(key)
        if parameters.probe != nil {
            parameters.probe?.note(key, "data file (path or manifest id)", defaultID.isEmpty ? nil : defaultID, nil)
            throw ParameterProbe.Stop()
        }
        let spec = (given ?? defaultID).trimmingCharacters(in: .whitespaces)
        guard !spec.isEmpty else { throw ParameterError(key: key, line: parameters.entries[key]?.line, message: "empty data path") }
        do {
            return URL(fileURLWithPath: try resolveData(spec, given == nil ? nil : parameters.entries[key]?.line).path)
        } catch var e as ParameterError {
            // A resolver sees only the value: its error belongs to the parameter asked for (`test_data`, `target`, …).
            e.key = key
            throw e
        }
    }
}
