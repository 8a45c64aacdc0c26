import Foundation

/// One file named by the dataset manifest.
public struct DatasetEntry: Codable, Equatable {
    /// Path relative to a data root, e.g. `retina/bint_fishmovie32_100.mat`.
    public let id: String
    public let sha256: String
    public let description: String
    public let source: String
    public let license: String
    /// How to obtain the file when it is missing.
    public let obtain: String
}

/// The project's dataset manifest (`datasets/manifest.json`): every external file with its checksum and provenance.
public struct DatasetManifest: Codable {
    public let datasets: [DatasetEntry]

    public static func load(from url: URL) throws -> DatasetManifest {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DatasetError.manifestUnreadable(url.path, "\(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(DatasetManifest.self, from: data) } catch {
            throw DatasetError.manifestUnreadable(url.path, "\(error)")
        }
    }

    public func entry(_ id: String) -> DatasetEntry? { datasets.first { $0.id == id } }
}

/// Why a dataset could not be used.
public enum DatasetError: Error, CustomStringConvertible {
    case manifestUnreadable(String, String)
    case unknown(String, known: [String])
    case missing(DatasetEntry, searched: [String])
    case corrupt(DatasetEntry, path: String, actual: String)

    public var description: String {
        switch self {
        case .manifestUnreadable(let path, let why):
            return "dataset manifest \(path) cannot be read: \(why)"
        case .unknown(let id, let known):
            return "dataset '\(id)' is not in datasets/manifest.json (known: \(known.joined(separator: ", ")))"
        case .missing(let e, let searched):
            return "dataset '\(e.id)' not found; looked for:\n" + searched.map { "  \($0)" }.joined(separator: "\n")
                + "\nTo obtain it: \(e.obtain)\n(or set REPLICATION_DATA to a folder holding \(e.id))"
        case .corrupt(let e, let path, let actual):
            return "dataset '\(e.id)' at \(path) has sha256 \(actual), expected \(e.sha256): the file is corrupt or a different "
                + "version. To obtain the right one: \(e.obtain)"
        }
    }
}

/// Finds dataset files along a search path and verifies their sha256 against the manifest.
public final class DatasetLocator: @unchecked Sendable {
    public let manifest: DatasetManifest
    public let searchPaths: [URL]
    /// Files whose checksum matched, with the size and modification time they had then: a file rewritten later in
    /// the same process (a long render, a test) is verified again rather than trusted.
    private var verified = [String: (url: URL, size: Int, modified: Double)]()
    private let lock = NSLock()

    public init(manifest: DatasetManifest, searchPaths: [URL]) {
        self.manifest = manifest; self.searchPaths = searchPaths
    }

    /// The standard search path: `$REPLICATION_DATA`, `<root>/datasets/`, `<root>/../shared/datasets/`, `/usr/share/datasets/`.
    public static func standard(projectRoot: URL) throws -> DatasetLocator {
        let manifest = try DatasetManifest.load(from: projectRoot.appendingPathComponent("datasets/manifest.json"))
        var paths = [URL]()
        if let env = ProcessInfo.processInfo.environment["REPLICATION_DATA"], !env.isEmpty {
            paths += env.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        }
        paths.append(projectRoot.appendingPathComponent("datasets"))
        paths.append(projectRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets"))
        paths.append(URL(fileURLWithPath: "/usr/share/datasets"))
        return DatasetLocator(manifest: manifest, searchPaths: paths)
    }

    /// The manifest's checksum for `id` (no file access).
    public func checksum(_ id: String) throws -> String { try entry(id).sha256 }

    private func entry(_ id: String) throws -> DatasetEntry {
        guard let e = manifest.entry(id) else { throw DatasetError.unknown(id, known: manifest.datasets.map(\.id)) }
        return e
    }

    /// The verified location of `id`. The first file found on the search path must match the manifest's sha256.
    public func locate(_ id: String) throws -> URL {
        lock.lock(); defer { lock.unlock() }
        if let v = verified[id], let stamp = Self.stamp(v.url), stamp == (v.size, v.modified) { return v.url }
        verified[id] = nil
        let e = try entry(id)
        let candidates = searchPaths.map { $0.appendingPathComponent(id).standardizedFileURL }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw DatasetError.missing(e, searched: candidates.map(\.path))
        }
        let actual = try sha256Hex(fileAt: found)
        guard actual == e.sha256 else { throw DatasetError.corrupt(e, path: found.path, actual: actual) }
        if let stamp = Self.stamp(found) { verified[id] = (found, stamp.size, stamp.modified) }
        return found
    }

    private static func stamp(_ url: URL) -> (size: Int, modified: Double)? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: url.path) else { return nil }
        return ((a[.size] as? NSNumber)?.intValue ?? -1, (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
    }
}
