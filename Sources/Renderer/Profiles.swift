/// Parameter profiles: `laptop` (the plain parameter lines of each run block) and `paper` (the papers' own settings,
/// given by `profile.paper.<key>: value` lines next to the laptop values). `replicate render --profile paper` writes
/// its pages to `site/paper/`, with a banner naming the profile, and its values to `reports/<name>.paper.values.json`.
public enum Profiles {
    public static let laptop = "laptop"
    public static let known = [laptop, "paper"]

    /// Checks a `--profile` value.
    public static func validate(_ name: String) throws {
        guard known.contains(name) else {
            throw ReportDiagnostic(file: "--profile", line: 1, message: "unknown profile '\(name)'; profiles: \(known.joined(separator: ", "))")
        }
    }
}
