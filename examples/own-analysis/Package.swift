// swift-tools-version:6.0
// A template for a package with analyses of its own, run by the notebook's renderer and command line.
// Copy this folder, point `core` at a checkout of the notebook (a path, or a git URL and version), rename the module.
import Foundation
import PackageDescription

/// The notebook's package. Here: the checkout two folders up. A path dependency's identity is its folder's name.
let corePath = "../.."
let core = URL(fileURLWithPath: Context.packageDirectory).appendingPathComponent(corePath).standardized.lastPathComponent

let package = Package(
    name: "MyAnalyses",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: corePath)],
    targets: [
        // Your analyses. The SourceIdentity plugin gives the module a code identity (sha256 of its sources and of the
        // core modules it uses), so editing it re-runs only its own directives.
        .target(name: "MyAnalyses",
                dependencies: [.product(name: "AnalysisKit", package: core),
                               .product(name: "DataFiles", package: core),
                               .product(name: "Numerics", package: core)],
                plugins: [.plugin(name: "SourceIdentity", package: core)]),
        // Your command line: `swift run my-replicate render` renders reports/*.md to site/, with the notebook's own
        // analyses (PaperAnalyses) beside yours.
        .executableTarget(name: "my-replicate",
                          dependencies: ["MyAnalyses", .product(name: "ReplicateCLI", package: core),
                                         .product(name: "PaperAnalyses", package: core)]),
        // Writes the report's data file (`generate-data data/pairs.csv`), seeded.
        .executableTarget(name: "generate-data", dependencies: [.product(name: "Numerics", package: core)]),
    ],
    swiftLanguageModes: [.v5]
)
