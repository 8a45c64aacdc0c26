import Foundation

/// The two batch scripts of `replicate slurm`: an array whose task i runs `replicate work --shard i/N` against the
/// shared cache, and a render job that reduces and renders once the array has succeeded.
struct SlurmScripts {
    var executable: String
    var root: String
    var reportsFolder: String
    var siteFolder: String
    var cache: String
    var scriptDir: String
    var shards: Int
    var cpusPerTask: Int
    var partition: String?
    var time: String?
    var reports: [String]
    var profile: String = "laptop"

    /// Single-quoted for the shell.
    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    private func header(job: String, output: String, array: String?) -> String {
        var s = "#!/bin/bash\n#SBATCH --job-name=\(job)\n"
        if let array { s += "#SBATCH --array=\(array)\n" }
        s += "#SBATCH --cpus-per-task=\(cpusPerTask)\n"
        if let partition { s += "#SBATCH --partition=\(partition)\n" }
        if let time { s += "#SBATCH --time=\(time)\n" }
        s += "#SBATCH --output=\(scriptDir)/\(output)\n"
        // The cache key holds OPENBLAS_CORETYPE: the jobs inherit the submitting shell's environment (sbatch's
        // default --export=ALL), so every shard and the render use the same kernel.
        s += "set -euo pipefail\ncd \(Self.quote(root))\n"
        return s
    }

    private var common: String {
        "--root \(Self.quote(root)) --reports \(Self.quote(reportsFolder)) --cache \(Self.quote(cache)) -j \"${SLURM_CPUS_PER_TASK:-\(cpusPerTask)}\"" + (profile == "laptop" ? "" : " --profile \(profile)")
    }
    private var reportArgs: String { reports.map(Self.quote).joined(separator: " ") }

    var work: String {
        header(job: "replicate-work", output: "work-%A_%a.out", array: "0-\(shards - 1)")
            + "exec \(Self.quote(executable)) work \(common) --shard \"${SLURM_ARRAY_TASK_ID}/\(shards)\" \(reportArgs)\n"
    }

    var render: String {
        header(job: "replicate-render", output: "render-%j.out", array: nil)
            + "exec \(Self.quote(executable)) render \(common) --site \(Self.quote(siteFolder)) \(reportArgs)\n"
    }

    /// Runs sbatch and returns the job id it prints with `--parsable` (`id` or `id;cluster`).
    static func sbatch(_ args: [String]) throws -> String {
        let p = Process(), out = Pipe(), err = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sbatch"] + args
        p.standardOutput = out; p.standardError = err
        do { try p.run() } catch { throw SlurmError("cannot run sbatch: \(error)") }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw SlurmError("sbatch \(args.joined(separator: " ")) failed (exit \(p.terminationStatus)): \(errText.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else { throw SlurmError("sbatch printed no job id: '\(text)'") }
        return id
    }
}

/// A failed sbatch call.
struct SlurmError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
