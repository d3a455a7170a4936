import Foundation
import KinemaMediaTestSupport
import KinemaVideo
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import KinemaVisualize

@Suite struct DemoReportTests {
    let folder = TemporaryFolder()

    func page() throws -> DemoReport {
        try FileManager.default.createDirectory(at: folder.file("mosi"), withIntermediateDirectories: true)
        try Image(width: 8, height: 8, format: .rgb, filledWith: [200, 30, 30]).write(to: folder.file("mosi/grid.png"))
        try Data("<html/>".utf8).write(to: folder.file("mosi/report.html"))
        return DemoReport(
            title: "Demo <three>", introduction: ["First & second."],
            sections: [
                .init(title: "MoSI", text: ["It learns <motion>."], summary: [("accuracy", "97 %")],
                      pictures: [.init(path: "mosi/grid.png", caption: "Grad-CAM")], link: "mosi/report.html"),
                .init(title: "The comparison", tables: [.init(caption: "Top-1", header: ["row", "a|b"], rows: [["x", "1 < 2"]])]),
            ])
    }

    @Test func theReportIsWellFormedWithASectionPerPart() throws {
        let url = try page().write(to: folder.url)
        let html = try String(contentsOf: url, encoding: .utf8)
        #expect(!html.contains("<script"))
        let document = try XMLDocument(data: Data(html.utf8), options: [])
        func text(_ xpath: String) throws -> [String] { try document.nodes(forXPath: xpath).map { $0.stringValue ?? "" } }
        #expect(try text("//title") == ["Demo <three>"])
        #expect(try text("//nav//a") == ["MoSI", "The comparison"])
        #expect(try text("//nav//a/@href") == ["#part-1", "#part-2"])
        #expect(try text("//section/@id") == ["part-1", "part-2"])
        #expect(try text("//section/h2") == ["MoSI", "The comparison"])
        #expect(try text("//section[1]/p[1]") == ["It learns <motion>."])
        #expect(try text("//section[1]//table[@class='summary']//td") == ["97 %"])
        #expect(try text("//section[1]//figure/img/@src") == ["mosi/grid.png"])
        #expect(try text("//section[1]//a/@href") == ["mosi/report.html"])
        #expect(try text("//table[@class='results']/caption") == ["Top-1"])
        #expect(try text("//table[@class='results']//th") == ["row", "a|b"])
        #expect(try text("//table[@class='results']//td") == ["x", "1 < 2"])
    }

    @Test func aMissingPictureOrLinkIsAnError() throws {
        var report = try page()
        report.sections[0].pictures.append(.init(path: "mosi/none.gif"))
        #expect(throws: VisualizeError.self) { try report.write(to: folder.url) }
        report = try page()
        report.sections[0].link = "mosi/none.html"
        #expect(throws: VisualizeError.self) { try report.write(to: folder.url) }
        report = try page()
        report.sections[0].pictures = [.init(path: folder.file("mosi/grid.png").path)]  // absolute
        #expect(throws: VisualizeError.self) { try report.write(to: folder.url) }
        #expect(!FileManager.default.fileExists(atPath: folder.file("report.html").path))
    }
}

@Suite struct MarkdownTableTests {
    let document = """
        # Results

        ### Top-1 accuracy (%)

        Mean ± std.

        | model | **MoSI** |
        |---|---:|
        | `CNN` | 41.6 ± 3.0 [39.3, 43.8] |
        | ViT | – |

        Text after.

        ### Empty

        No table here.

        ### Next
        | a | b |
        """

    @Test func theTableUnderAHeadingIsReadBack() throws {
        let table = try #require(MarkdownTable.first(under: "### Top-1 accuracy (%)", in: document))
        #expect(table.caption == "Top-1 accuracy (%)")
        #expect(table.header == ["model", "MoSI"])
        #expect(table.rows == [["CNN", "41.6 ± 3.0 [39.3, 43.8]"], ["ViT", "–"]])
        #expect(MarkdownTable.first(under: "### Top-1 accuracy (%)", in: document, caption: "Mine")?.caption == "Mine")
    }

    @Test func noHeadingOrNoTableIsNil() {
        #expect(MarkdownTable.first(under: "### Missing", in: document) == nil)
        #expect(MarkdownTable.first(under: "### Empty", in: document) == nil, "stops at the next heading")
        #expect(MarkdownTable.first(under: "### Next", in: document) == nil, "a header without its delimiter row")
    }
}
