// swift-tools-version:6.0
import PackageDescription

/// Paper modules of the core: each has its own folder under Sources/Core and its own test target.
let paperModules = ["Retina", "InfoGeometry", "RenormalizedMI", "RINE", "CollectiveRedundancy"]

/// `-Ounchecked` (no overflow or bounds traps) for the numerical targets, only when this package is built for its own
/// reports and benchmarks (`make` sets REPLICATE_UNCHECKED=1). Measured with `bench collective` (2-core machine, idle):
/// n = 40 / 60, m = 10, 20 initialisations take 2.2 / 4.6 s with it and 3.6 / 10.6 s without (1.6–2.3×), so the
/// reports keep it. A package that depends on these libraries builds them with plain `-O`: SwiftPM refuses unsafe
/// flags in dependencies, and safety must not rest on traps that `-Ounchecked` removes (parameters are range-checked
/// before any allocation instead).
let unchecked = Context.environment["REPLICATE_UNCHECKED"] == "1"
let unsafeFlags: [SwiftSetting] = unchecked ? [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))] : []

var targets: [Target] = [
    .systemLibrary(name: "CBLAS", path: "Sources/System/CBLAS", pkgConfig: "openblas",
                   providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
    .systemLibrary(name: "CCmark", path: "Sources/System/CCmark", pkgConfig: "libcmark",
                   providers: [.apt(["libcmark-dev"])]),
    .systemLibrary(name: "CZlib", path: "Sources/System/CZlib", pkgConfig: "zlib",
                   providers: [.apt(["zlib1g-dev"])]),
    .target(name: "AnalysisKit", path: "Sources/AnalysisKit"),
    .target(name: "Numerics", dependencies: ["CBLAS"], path: "Sources/Core/Numerics", swiftSettings: unsafeFlags),
    .target(name: "DataFiles", dependencies: ["CZlib"], path: "Sources/Core/DataFiles"),
    // Check tolerances derived from statistical errors (the redraw bound of trained estimators), shared by the papers.
    .target(name: "StatisticalTolerances", dependencies: ["Numerics", "AnalysisKit"], path: "Sources/Core/StatisticalTolerances"),
    .target(name: "ElementwiseKernels", path: "Sources/Core/Kernels",
            cSettings: unchecked ? [.unsafeFlags(["-O3"], .when(configuration: .release))] : []),
    .target(name: "NeuralNet", dependencies: ["CBLAS", "Numerics", "ElementwiseKernels"], path: "Sources/Core/NeuralNet",
            swiftSettings: unsafeFlags),
    .target(name: "Renderer", dependencies: ["CCmark", "AnalysisKit", "DataFiles"], path: "Sources/Renderer"),
    .target(name: "DemoAnalyses", dependencies: ["Numerics", "AnalysisKit", "DataFiles"], path: "Sources/Core/Demo",
            plugins: ["SourceIdentity"]),
    // The code identity of each analysis module for the result cache (see Plugins/SourceIdentity).
    .executableTarget(name: "SourceHasher", dependencies: ["DataFiles"], path: "Sources/Tools/SourceHasher"),
    .plugin(name: "SourceIdentity", capability: .buildTool(), dependencies: ["SourceHasher"], path: "Plugins/SourceIdentity"),
    // The command line as a library, so a user's package can run it over its own analyses (examples/own-analysis).
    .target(name: "ReplicateCLI",
            dependencies: ["Renderer", "AnalysisKit", "Numerics", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/ReplicateCLI"),
    // Every analysis of the notebook in one list, for the command line and for users' packages that add their own.
    .target(name: "PaperAnalyses", dependencies: ["AnalysisKit", "DemoAnalyses"] + paperModules.map { .target(name: $0) },
            path: "Sources/PaperAnalyses"),
    .executableTarget(name: "replicate", dependencies: ["ReplicateCLI", "PaperAnalyses", "AnalysisKit"],
                      path: "Sources/replicate"),
    .executableTarget(name: "bench",
                      dependencies: ["Numerics", "NeuralNet", "DataFiles", "AnalysisKit", "Renderer"] + paperModules.map { .target(name: $0) },
                      path: "Sources/bench"),
    .testTarget(name: "NumericsTests", dependencies: ["Numerics"], path: "Tests/NumericsTests"),
    .testTarget(name: "DataFilesTests", dependencies: ["DataFiles"], path: "Tests/DataFilesTests"),
    .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Numerics", "ElementwiseKernels"], path: "Tests/NeuralNetTests"),
    .testTarget(name: "RendererTests", dependencies: ["Renderer", "AnalysisKit", "DemoAnalyses", "DataFiles"], path: "Tests/RendererTests"),
]
for name in paperModules {
    targets.append(.target(name: name, dependencies: ["Numerics", "NeuralNet", "DataFiles", "AnalysisKit", "StatisticalTolerances"],
                           path: "Sources/Core/\(name)", swiftSettings: unsafeFlags, plugins: ["SourceIdentity"]))
    targets.append(.testTarget(name: "\(name)Tests", dependencies: [.target(name: name), "Numerics", "DataFiles", "AnalysisKit", "StatisticalTolerances"],
                               path: "Tests/\(name)Tests"))
}

let package = Package(
    name: "PaperReplications",
    platforms: [.macOS(.v13)],
    // Every layer is a library a user's package can depend on: the output model, data readers, numerics, the NN
    // engine, each paper's methods and the renderer; `replicate` is the command-line tool.
    products: [
        .library(name: "AnalysisKit", targets: ["AnalysisKit"]),
        .library(name: "DataFiles", targets: ["DataFiles"]),
        .library(name: "Numerics", targets: ["Numerics"]),
        .library(name: "StatisticalTolerances", targets: ["StatisticalTolerances"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "Renderer", targets: ["Renderer"]),
        .library(name: "ReplicateCLI", targets: ["ReplicateCLI"]),
        .library(name: "PaperAnalyses", targets: ["PaperAnalyses"]),
        .plugin(name: "SourceIdentity", targets: ["SourceIdentity"]),
    ] + paperModules.map { .library(name: $0, targets: [$0]) } + [
        .executable(name: "replicate", targets: ["replicate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: targets,
    swiftLanguageModes: [.v5]
)
