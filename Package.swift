// swift-tools-version:6.0
import PackageDescription

// Layers, from the bottom up (STYLE.md "Layers that show in the module graph"):
//   CLibPQ (the C library) <- Postgres (the only module that imports it)
//   RegieDomain (pure: no Hummingbird, no database)
//   DDASExchange (pure: JSON, the exchange models' schemas, pages), DDASSignature (Digest and JAdES)
//   DDASTestPKI (a test PKI made on the spot: for tests, the simulator and the demo; no production module links it)
//   DDASClient (pulls from suppliers, hands over to CBS) ; SupplierSimulator (the suppliers' side, for tests and the demo)
//   EmbeddedPostgres (initdb/pg_ctl of the installed server)
//   RegieStore (all SQL: migrations, every store, built once as RegieStores) <- RegieApp (HTTP, start-up) <- ddas-regie
//   RegieDemo (`serve --demo`: the seed, the in-process SupplierSimulator, its test PKI) <- ddas-regie (and RegieDemoTests) only:
//   no production module (RegieApp, RegieStore, DDASClient, ...) depends on SupplierSimulator.
let package = Package(
    name: "ddas-regie",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ddas-regie", targets: ["DDASRegieCLI"]),
        .executable(name: "ddas-regie-bench", targets: ["RegieBenchmarks"]),
        .executable(name: "ddas-supplier-sim", targets: ["SupplierSimulatorCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "EmbeddedPostgres",
            dependencies: [
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "RegieDomain",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "RegieStore",
            dependencies: [
                "Postgres",
                "RegieDomain",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "DDASExchange"),
        .target(
            name: "Webhooks",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "SMTPClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        .target(name: "Standardisation"),
        .target(
            name: "DDASSignature",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "DDASTestPKI",
            dependencies: [
                "DDASSignature",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "SupplierSimulator",
            dependencies: [
                "DDASExchange",
                "DDASSignature",
                "DDASTestPKI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .executableTarget(
            name: "SupplierSimulatorCLI",
            dependencies: [
                "SupplierSimulator",
                "DDASSignature",
                "DDASTestPKI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "DDASClient",
            dependencies: [
                "DDASExchange",
                "DDASSignature",
                "RegieDomain",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "RegieApp",
            dependencies: [
                "DDASClient",
                "DDASExchange",
                "DDASSignature",
                "Standardisation",
                "EmbeddedPostgres",
                "Postgres",
                "RegieDomain",
                "RegieStore",
                "SMTPClient",
                "Webhooks",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "RegieDemo",
            dependencies: [
                "DDASClient",
                "DDASExchange",
                "DDASSignature",
                "DDASTestPKI",
                "Postgres",
                "RegieApp",
                "RegieDomain",
                "RegieStore",
                "SupplierSimulator",
                "Webhooks",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "DDASRegieCLI",
            dependencies: [
                "DDASExchange",
                "RegieApp",
                "RegieDemo",
                "Postgres",
                "RegieDomain",
                "RegieStore",
                "Standardisation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "RegieBenchmarks",
            dependencies: [
                "DDASExchange", "RegieApp", "RegieDomain", "RegieStore", "Postgres", .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Benchmarks/Sources/RegieBenchmarks"
        ),
        .target(
            name: "RegieTestSupport",
            dependencies: ["EmbeddedPostgres", "Postgres", "RegieDomain", "RegieStore", "RegieApp"],
            path: "Tests/RegieTestSupport"
        ),
        .testTarget(name: "RegieDomainTests", dependencies: ["RegieDomain"]),
        .testTarget(
            name: "WebhooksTests",
            dependencies: ["Webhooks", "ChildProgram", .product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),
        .testTarget(
            name: "SMTPClientTests",
            dependencies: [
                "SMTPClient", "ChildProgram", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Runs another program to its end for a test (the interop peers, schemathesis, openssl).
        .target(name: "ChildProgram", path: "Tests/ChildProgram"),
        .testTarget(name: "DDASExchangeTests", dependencies: ["DDASExchange", "ChildProgram"], exclude: ["Fixtures"]),
        // A frozen copy of DDASExchange's reading and checking as it was before issue 21 sped them
        // up: the yardstick of ExchangeEquivalenceTests, which only tests depend on.
        .target(name: "DDASExchangeReference", path: "Tests/ExchangeReference"),
        .testTarget(name: "ExchangeEquivalenceTests", dependencies: ["DDASExchange", "DDASExchangeReference", "SupplierSimulator"]),
        .testTarget(name: "StandardisationTests", dependencies: ["Standardisation"], exclude: ["Fixtures"]),
        .testTarget(
            name: "SupplierSimulatorTests",
            dependencies: [
                "SupplierSimulator",
                "DDASExchange",
                "DDASSignature",
                "DDASTestPKI",
                "EmbeddedPostgres",
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DDASClientTests",
            dependencies: [
                "ChildProgram", "DDASClient", "DDASSignature", "DDASTestPKI", "RegieDomain", "SupplierSimulator",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"), .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DDASSignatureTests",
            dependencies: [
                "ChildProgram",
                "DDASSignature",
                "DDASTestPKI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "RegieTestSupport"]),
        .testTarget(name: "EmbeddedPostgresTests", dependencies: ["EmbeddedPostgres", "Postgres", "RegieTestSupport"]),
        .testTarget(name: "RegieStoreTests", dependencies: ["RegieStore", "RegieTestSupport"]),
        .testTarget(
            name: "RegieDemoTests",
            dependencies: [
                "DDASClient", "Postgres", "RegieApp", "RegieDemo", "RegieDomain", "RegieStore", "RegieTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "RegieAppTests",
            dependencies: [
                "ChildProgram",
                "RegieApp",
                "EmbeddedPostgres",
                "DDASClient",
                "DDASExchange",
                "Standardisation",
                "DDASSignature",
                "DDASTestPKI",
                "SupplierSimulator",
                "RegieTestSupport",
                "SMTPClient",
                "Webhooks",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The reliability suite (README, "Reliability"): crashes, a database restart, supplier
        // faults, consent races, two schedulers, hostile input, the authorisation matrix, load,
        // privacy and audit tampering, against real processes. CI runs it after the others.
        .testTarget(
            name: "ReliabilityTests",
            dependencies: [
                "ChildProgram",
                "RegieApp",
                "RegieDomain",
                "RegieStore",
                "Postgres",
                "EmbeddedPostgres",
                "DDASSignature",
                "DDASTestPKI",
                "SupplierSimulator",
                "RegieTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ]
)
