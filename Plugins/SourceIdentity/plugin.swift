import Foundation
import PackagePlugin

/// Build-tool plugin: generates `<Module>SourceIdentity.hash`, the sha256 of the module's sources and of every
/// source target it depends on (transitively), so a cached result can name exactly the code that produced it, and
/// `<Module>SourceIdentity.components`, the hash of each of those targets alone (for `--explain`).
/// Editing one paper module changes only that module's hash (and those of modules that depend on it).
@main
struct SourceIdentityPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        var files = [URL](), groups = [String](), seen = Set<String>()
        func visit(_ t: Target) {
            guard seen.insert(t.id).inserted else { return }
            if let s = t as? SourceModuleTarget {
                let own = s.sourceFiles.filter { $0.type == .source || $0.type == .header }.map(\.url)
                files += own
                // Grouped by target, so the tool also writes each target's own hash (`components`).
                if !own.isEmpty { groups += ["--target", t.name] + own.map(\.path) }
            }
            for d in t.dependencies {
                switch d {
                case .target(let dt): visit(dt)
                // A user's package reaches the core through products: hash the targets behind them too.
                case .product(let p): p.targets.forEach(visit)
                @unknown default: break
                }
            }
        }
        visit(target)
        let name = target.name
        let out = context.pluginWorkDirectoryURL.appendingPathComponent("\(name)SourceIdentity.swift")
        let root = context.package.directoryURL.path
        return [.buildCommand(displayName: "Hashing the sources behind \(name)",
                              executable: try context.tool(named: "SourceHasher").url,
                              arguments: [name, out.path, root] + groups,
                              inputFiles: files, outputFiles: [out])]
    }
}
