import DDASExchange
import Foundation
import Testing

private let amsterdam = ExchangeGemeentecode("0363")!
private let paginering: JSONValue = ["pageSize": 50000, "currentPage": 1, "totalPages": 1, "totalRecords": 2]

@Suite("Reading a response page")
struct GegevensPageTests {
    @Test("a VS page: paginering, gemeenten and records in one parse")
    func vroegsignalering() throws {
        let body = DDASFixtures.response(DDASFixtures.vroegsignalering, paginering: paginering)
        let page = try GegevensPage(body: body, stream: .vroegsignalering)
        #expect(page.paginering == Paginering(pageSize: 50000, currentPage: 1, totalPages: 1, totalRecords: 2))
        #expect(page.pagineringFault == nil)
        #expect(page.recordCount == 2)
        #expect(page.leveringCount == 1)
        #expect(page.recordsPerGemeente == [amsterdam: 2])
        #expect(page.gemeentecodes == [amsterdam])
        #expect(page.gegevens == DDASFixtures.vroegsignalering)
        #expect(try GegevensPage(body: Data(body), stream: .vroegsignalering).recordCount == 2)
    }

    @Test("the page keeps the body's tape, and its gegevens read from the tape equal the payload")
    func keepsTape() throws {
        let body = DDASFixtures.response(DDASFixtures.vroegsignalering, paginering: paginering)
        let page = try GegevensPage(body: body, stream: .vroegsignalering)
        #expect(page.tape.bytes == body)
        #expect(page.gegevensOnTape["leveringen"]?.count == 1)
        #expect(JSONValue(page.gegevensOnTape) == DDASFixtures.vroegsignalering)
        let model = try shippedModel(.vroegsignalering)
        let keyed = try GegevensPage(body: body, stream: .vroegsignalering, keys: model.schema.keys)
        #expect(Array(keyed.tape.keys.names.prefix(model.schema.keys.count)) == model.schema.keys.names)
        let request = try GegevensRequest()
        #expect(model.validate(keyed, answering: request, for: [amsterdam]) == model.validate(page, answering: request, for: [amsterdam]))
        #expect(model.validate(page, answering: request, for: [amsterdam]).isAcceptable)
    }

    @Test("a levering whose gemeentecode is not one, or whose records are not an array, is counted as such")
    func oddShapes() throws {
        var gegevens = DDASFixtures.vroegsignalering
        gegevens = gegevens.replacing("/leveringen/-", with: ["gemeentecode": 363, "vroegsignalen": [[:], [:], [:]]])
        gegevens = gegevens.replacing("/leveringen/-", with: ["gemeentecode": "GM0518", "vroegsignalen": ["x": 1]])
        gegevens = gegevens.replacing("/leveringen/-", with: "geen levering")
        let page = try GegevensPage(body: DDASFixtures.response(gegevens), stream: .vroegsignalering)
        #expect(page.leveringCount == 4)
        #expect(page.recordCount == 5)
        #expect(page.recordsPerGemeente == [amsterdam: 2, ExchangeGemeentecode("0518")!: 0])
        #expect(page.unidentifiedGemeenteCount == 1)
    }

    @Test("an SHV page counts schuldhulptrajecten by their own gemeentecode")
    func schuldhulpverlening() throws {
        var gegevens = DDASFixtures.schuldhulpverlening
        gegevens = gegevens.replacing("/leveringen/0/aanleverende_organisatie/gemeentecode", with: "GM0599")
        gegevens = gegevens.replacing("/leveringen/0/schuldhulptrajecten/-", with: ["gemeentecode": "gm0518"])
        gegevens = gegevens.replacing("/leveringen/0/schuldhulptrajecten/-", with: ["gemeentecode": "Amsterdam"])
        let page = try GegevensPage(body: DDASFixtures.response(gegevens), stream: .schuldhulpverlening)
        #expect(page.paginering == nil)
        #expect(page.recordCount == 4)
        #expect(page.recordsPerGemeente == [amsterdam: 2, ExchangeGemeentecode("0518")!: 1])
        #expect(page.unidentifiedGemeenteCount == 1)
        #expect(page.organisationGemeentecodes == [ExchangeGemeentecode("0599")!])
    }

    @Test(
        "a paginering that is present must be complete and valid",
        arguments: [
            (##"{"pageSize":10,"currentPage":1,"totalPages":1}"##, PagineringFault(field: "totalRecords", reason: .missing)),
            (
                ##"{"pageSize":10,"currentPage":"1","totalPages":1,"totalRecords":0}"##,
                PagineringFault(field: "currentPage", reason: .notAnInteger)
            ),
            (
                ##"{"pageSize":10,"currentPage":1.5,"totalPages":1,"totalRecords":0}"##,
                PagineringFault(field: "currentPage", reason: .notAnInteger)
            ),
            (
                ##"{"pageSize":0,"currentPage":1,"totalPages":1,"totalRecords":0}"##,
                PagineringFault(field: "pageSize", reason: .belowMinimum)
            ),
            (
                ##"{"pageSize":10,"currentPage":1,"totalPages":1,"totalRecords":-1}"##,
                PagineringFault(field: "totalRecords", reason: .belowMinimum)
            ),
            ("null", PagineringFault(field: nil, reason: .notAnObject)),
        ])
    func invalidPaginering(text: String, fault: PagineringFault) throws {
        let value = try json(text)
        let page = try GegevensPage(
            body: DDASFixtures.response(DDASFixtures.vroegsignalering, paginering: value), stream: .vroegsignalering)
        #expect(page.paginering == nil)
        #expect(page.pagineringFault == fault)
        #expect(page.problems(answering: try GegevensRequest(), for: [amsterdam]) == [.invalidPaginering(fault)])
    }

    @Test("a body that is not a page is refused with a code, not its text")
    func unreadable() {
        let broken = #expect(throws: PageReadError.self) {
            try GegevensPage(body: Array(##"{"gegevens":{"a":1,}}"##.utf8), stream: .vroegsignalering)
        }
        #expect(broken?.code == .invalidJSON)
        #expect(broken?.jsonError == JSONParseError(.trailingComma, at: 19))
        let array = #expect(throws: PageReadError.self) { try GegevensPage(body: Array("[]".utf8), stream: .vroegsignalering) }
        #expect(array?.code == .notAnObject)
        let empty = #expect(throws: PageReadError.self) {
            try GegevensPage(body: Array(##"{"paginering":{}}"##.utf8), stream: .vroegsignalering)
        }
        #expect(empty?.code == .missingGegevens)
    }
}

@Suite("Checking a page against its request")
struct PageCheckTests {
    private func page(_ gegevens: JSONValue = DDASFixtures.vroegsignalering, paginering: JSONValue? = nil) throws -> GegevensPage {
        try GegevensPage(body: DDASFixtures.response(gegevens, paginering: paginering), stream: .vroegsignalering)
    }

    @Test("data of a gemeente not asked for is a foreignGemeente problem with codes and counts only")
    func foreign() throws {
        var gegevens = DDASFixtures.vroegsignalering
        gegevens = gegevens.replacing(
            "/leveringen/-",
            with: ["teller": 2, "gemeentecode": "GM0599", "aanleverendeOrganisatie": [:], "vroegsignalen": [["ID": "R-1"]]])
        gegevens = gegevens.replacing("/leveringen/-", with: ["teller": 3, "gemeentecode": "Rotterdam", "aanleverendeOrganisatie": [:]])
        let problems = try page(gegevens).problems(answering: try GegevensRequest(), for: [amsterdam])
        #expect(problems == [.foreignGemeente(codes: [ExchangeGemeentecode("599")!], recordCount: 1), .unidentifiedGemeente(count: 1)])
        #expect(problems.map(\.code) == ["foreign_gemeente", "unidentified_gemeente"])
        #expect(problems[0].description == "the page holds 1 records of gemeenten not asked for: GM0599 (foreign_gemeente)")
        #expect(!problems.contains { $0.description.contains("Rotterdam") })
        let both = try page(gegevens).problems(answering: try GegevensRequest(), for: [amsterdam, ExchangeGemeentecode("GM0599")!])
        #expect(both == [.unidentifiedGemeente(count: 1)])
    }

    @Test("the page must be the one asked for; a missing page is answered with page 1")
    func pageNumbers() throws {
        let first: JSONValue = ["pageSize": 2, "currentPage": 1, "totalPages": 3, "totalRecords": 6]
        #expect(try page(paginering: first).problems(answering: try GegevensRequest(page: 1), for: [amsterdam]).isEmpty)
        #expect(try page(paginering: first).problems(answering: try GegevensRequest(), for: [amsterdam]).isEmpty)
        #expect(
            try page(paginering: first).problems(answering: try GegevensRequest(page: 4), for: [amsterdam]) == [
                .wrongPage(requested: 4, received: 1)
            ])
        #expect(try page().problems(answering: try GegevensRequest(page: 2), for: [amsterdam]) == [.missingPaginering(requestedPage: 2)])
        let beyond: JSONValue = ["pageSize": 2, "currentPage": 4, "totalPages": 3, "totalRecords": 6]
        #expect(
            try page(paginering: beyond).problems(answering: try GegevensRequest(page: 4), for: [amsterdam]) == [
                .pageBeyondTotal(currentPage: 4, totalPages: 3)
            ])
    }

    @Test("page sizes: the stream maximum, the page's own size and the requested size")
    func pageSizes() throws {
        let tooLarge: JSONValue = ["pageSize": 60000, "currentPage": 1, "totalPages": 1, "totalRecords": 2]
        #expect(
            try page(paginering: tooLarge).problems(answering: try GegevensRequest(), for: [amsterdam]) == [
                .pageSizeAboveMaximum(pageSize: 60000, maximum: 50000)
            ])
        let small: JSONValue = ["pageSize": 1, "currentPage": 1, "totalPages": 2, "totalRecords": 2]
        #expect(
            try page(paginering: small).problems(answering: try GegevensRequest(), for: [amsterdam]) == [
                .tooManyRecords(recordCount: 2, limit: 1)
            ])
        #expect(
            try page().problems(answering: try GegevensRequest(pageSize: 1), for: [amsterdam]) == [
                .tooManyRecords(recordCount: 2, limit: 1)
            ])
        #expect(ExchangeStroom.vroegsignalering.maxPageSize == 50_000)
        #expect(ExchangeStroom.schuldhulpverlening.maxPageSize == 25_000)
    }

    @Test("a full check: schema, problems and counts, acceptable only when all is well")
    func pageValidation() throws {
        let model = try shippedModel(.vroegsignalering)
        let request = try GegevensRequest(page: 1)
        let good = model.validate(try page(paginering: paginering), answering: request, for: [amsterdam])
        #expect(good.isAcceptable)
        #expect(good.recordCount == 2 && good.recordsPerGemeente == [amsterdam: 2])
        let broken = DDASFixtures.vroegsignalering.replacing("/leveringen/0/gemeentecode", with: "0599")
            .replacing("/leveringen/0/teller", with: "een")
        let bad = model.validate(try page(broken, paginering: paginering), answering: request, for: [amsterdam])
        #expect(!bad.isAcceptable && bad.holdsForeignData)
        #expect(bad.schema.violations.map(\.instancePointer) == ["/leveringen/0/teller"])
        #expect(bad.problems.map(\.code) == ["foreign_gemeente"])
        let shv = try GegevensPage(body: DDASFixtures.response(DDASFixtures.schuldhulpverlening), stream: .schuldhulpverlening)
        #expect(
            model.validate(shv, answering: request, for: [amsterdam]).problems.first
                == .streamMismatch(expected: .vroegsignalering, found: .schuldhulpverlening))
        #expect(try shippedModel(.schuldhulpverlening).validate(shv, answering: request, for: [amsterdam]).isAcceptable)
    }
}

@Suite("Schema files by stream and version")
struct ExchangeSchemasTests {
    @Test("lists the versions in the directory and loads the newest")
    func versions() throws {
        let schemas = try ExchangeSchemas(directory: schemaDirectory)
        #expect(try schemas.versions(of: .vroegsignalering).map(\.text) == ["1.2"])
        #expect(try schemas.versions(of: .schuldhulpverlening).map(\.text) == ["1.0"])
        #expect(try schemas.latestModel(.vroegsignalering).version.text == "1.2")
    }

    @Test("a new version is a new file in the directory")
    func newVersion() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("exchange-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try schemaDirectory.appendingPathComponent("DDAS-VS-uitwisselmodel-v1.2.json")
        try FileManager.default.copyItem(at: original, to: directory.appendingPathComponent("DDAS-VS-uitwisselmodel-v1.2.json"))
        try Data(##"{"type":"object","properties":{"a":{"pattern":"^x"}}}"##.utf8).write(
            to: directory.appendingPathComponent("DDAS-VS-uitwisselmodel-v1.10.json"))
        let schemas = ExchangeSchemas(directory: directory)
        #expect(try schemas.versions(of: .vroegsignalering).map(\.text) == ["1.2", "1.10"])
        let error = #expect(throws: ExchangeSchemaError.self) { try schemas.latestModel(.vroegsignalering) }
        #expect(error?.code == .schemaInvalid)
        #expect(error?.compileError?.code == .unsupportedKeyword)
        #expect(error?.compileError?.keyword == "pattern")
        let missing = #expect(throws: ExchangeSchemaError.self) {
            try schemas.model(.schuldhulpverlening, version: ExchangeModelVersion("1.0")!)
        }
        #expect(missing?.code == .fileMissing)
    }

    @Test("each stream names its file, its records and its page limit")
    func streams() throws {
        let version = try #require(ExchangeModelVersion("1.2"))
        #expect(ExchangeStroom.vroegsignalering.schemaFileName(version: version) == "DDAS-VS-uitwisselmodel-v1.2.json")
        #expect(ExchangeStroom.schuldhulpverlening.schemaFileName(version: version) == "DDAS-SHV-uitwisselmodel-v1.2.json")
        #expect(ExchangeStroom.vroegsignalering.recordArrayName == "vroegsignalen")
        #expect(ExchangeStroom.schuldhulpverlening.recordArrayName == "schuldhulptrajecten")
        #expect(ExchangeStroom(rawValue: "SHV") == .schuldhulpverlening)
        #expect(try #require(ExchangeModelVersion("1.10")) > version)
    }

    @Test("versions are digits and dots, ordered by number", arguments: ["1.2", "10", "1.10.3"])
    func version(text: String) {
        #expect(ExchangeModelVersion(text)?.text == text)
    }

    @Test("anything else is not a version", arguments: ["", "1.", ".1", "1..2", "v1.2", "1.2/../x", "1.2-beta"])
    func notVersion(text: String) {
        #expect(ExchangeModelVersion(text) == nil)
    }
}
