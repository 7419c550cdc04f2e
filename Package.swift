// swift-tools-version:6.0
import PackageDescription

/// The checker's core modules are compiled with optimization even in debug builds:
/// exhaustive state-space exploration and the Z3 encodings are the product, and
/// unoptimized they make `swift test` over the bundled models too slow to be useful.
/// Whole-module, as release builds are: the semantics is defined once, generically
/// (`Semantics/Primitives.swift`, `GuestMoves.swift`), and the explicit checker's
/// copy is specialized only where the compiler sees the definitions and their use
/// together. (`-num-threads` keeps one object file per source file, which the
/// index store expects; the driver then warns that it ignores batch mode.)
let optimizedCore: [SwiftSetting] = [.unsafeFlags(["-O", "-whole-module-optimization", "-num-threads", "2"], .when(configuration: .debug))]

let package = Package(
    name: "tptcheck",
    products: [
        .executable(name: "tptcheck", targets: ["tptcheck"]),
        .library(name: "TPTModel", targets: ["TPTModel"]),
        .library(name: "TPTExplore", targets: ["TPTExplore"]),
        .library(name: "TPTZ3", targets: ["TPTZ3"]),
        .library(name: "TPTProve", targets: ["TPTProve"]),
        .library(name: "TPTEngine", targets: ["TPTEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Model and language: parsing `.tpt` files, the resolved model, and the
        // one definition of the state and its primitive steps.
        .target(name: "TPTModel", swiftSettings: optimizedCore),
        // What the state store needs of the machine that Swift cannot reach:
        // prefetch hints (its lookups are cache misses, which then overlap), a
        // vector scan of a table bucket, and regions that grow without
        // copying, on 2 MiB pages.
        .target(name: "CMemory"),
        // Explicit-state checker: exhaustive breadth-first search over packed states.
        .target(name: "TPTExplore", dependencies: ["TPTModel", "CMemory"], swiftSettings: optimizedCore),
        // Z3 from Debian's libz3-dev, and a safe Swift layer over its C API.
        .systemLibrary(name: "CZ3", pkgConfig: "z3", providers: [.apt(["libz3-dev"])]),
        .target(name: "TPTZ3", dependencies: ["CZ3"], swiftSettings: optimizedCore),
        // Z3 encoding: the same primitive semantics as terms over arrays.
        .target(name: "TPTProve", dependencies: ["TPTModel", "TPTZ3"], swiftSettings: optimizedCore),
        // zlib from Debian's zlib1g-dev: gzip-compressed traces, streamed.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Concrete engine: trace readers, TLBs and caches, the walk of each
        // scheme, the cost model; replays memory-access traces.
        .target(name: "TPTEngine", dependencies: ["CZlib"], swiftSettings: optimizedCore),
        // Differential testing: random models, run through every backend and compared.
        .target(name: "TPTDifferential", dependencies: ["TPTModel", "TPTExplore", "TPTProve"], swiftSettings: optimizedCore),
        // Command line.
        .executableTarget(
            name: "tptcheck",
            dependencies: [
                "TPTModel", "TPTExplore", "TPTProve", "TPTEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Release-build throughput benchmark for the explicit checker.
        .executableTarget(
            name: "tptbench",
            dependencies: ["TPTModel", "TPTExplore"],
            path: "Benchmarks/ExplicitThroughput"),
        // Differential testing at scale: N random models, or S seconds of them.
        .executableTarget(
            name: "tptdiff",
            dependencies: ["TPTDifferential"],
            path: "Benchmarks/Differential"),
        // The fuzzer: mutated inputs run through the real binary, judged
        // against the command-line contract (`tptfuzz`, and the regression
        // corpus in the tests).
        .target(name: "TPTFuzz", dependencies: ["TPTEngine", "TPTDifferential", "CZlib"]),
        .executableTarget(name: "tptfuzz", dependencies: ["TPTFuzz"]),
        // Release-build throughput benchmark for the concrete engine.
        .executableTarget(
            name: "replaybench",
            dependencies: ["TPTEngine"],
            path: "Benchmarks/ReplayThroughput"),

        .testTarget(name: "TPTModelTests", dependencies: ["TPTModel"]),
        .testTarget(name: "TPTExploreTests", dependencies: ["TPTModel", "TPTExplore"]),
        .testTarget(name: "TPTZ3Tests", dependencies: ["TPTZ3"]),
        .testTarget(name: "TPTProveTests", dependencies: ["TPTModel", "TPTExplore", "TPTZ3", "TPTProve"]),
        .testTarget(name: "TPTEngineTests", dependencies: ["TPTEngine"]),
        .testTarget(name: "TPTDifferentialTests", dependencies: ["TPTDifferential", "TPTModel"]),
        .testTarget(name: "tptcheckTests", dependencies: ["tptcheck", "TPTModel", "TPTExplore", "TPTFuzz"],
                    exclude: ["FuzzCorpus"]),
    ]
)
