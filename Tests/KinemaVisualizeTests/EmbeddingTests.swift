import Foundation
import KinemaTensor
import KinemaVisualize
import Testing

/// `n` points per class around three well-separated centres in 8-D (deterministic noise).
private func blobs(_ n: Int) -> (features: Tensor, labels: [Int]) {
    var values: [Float] = []
    var labels: [Int] = []
    for label in 0..<3 {
        for i in 0..<n {
            for d in 0..<8 {
                let centre: Float = d == label ? 10 : 0
                values.append(centre + Float(sin(Double(i * 8 + d) * 12.9898 + Double(label)) * 0.8))
            }
            labels.append(label)
        }
    }
    return (Tensor(values, shape: [3 * n, 8]), labels)
}

@Test func pcaOfPointsOnAPlaneKeepsTheirDistances() {
    // Points on a 2-D plane spanned by two orthonormal 5-D axes: PCA must be an isometry.
    let coordinates: [(Double, Double)] = [(0, 0), (3, 1), (-2, 4), (5, -3), (1, 1), (-4, -2)]
    let u = [0.6, 0.8, 0, 0, 0]
    let v = [0.0, 0, 0.6, 0, 0.8]
    let values = coordinates.flatMap { a, b in (0..<5).map { Float(a * u[$0] + b * v[$0] + 2) } }
    let map = Embedding2D.pca(Tensor(values, shape: [6, 5])).array(of: Double.self)
    #expect(map.count == 12)
    for i in 0..<6 {
        for j in 0..<6 {
            let original = hypot(coordinates[i].0 - coordinates[j].0, coordinates[i].1 - coordinates[j].1)
            let mapped = hypot(map[2 * i] - map[2 * j], map[2 * i + 1] - map[2 * j + 1])
            #expect(abs(original - mapped) < 1e-4, "distance \(i)–\(j): \(mapped) vs \(original)")
        }
    }
}

@Test func tsneKeepsClustersApartAndIsDeterministic() {
    let (features, labels) = blobs(15)
    let map = Embedding2D.tsne(features, perplexity: 10, iterations: 400)
    #expect(map.shape == [45, 2])
    #expect(map.isEqual(to: Embedding2D.tsne(features, perplexity: 10, iterations: 400)))
    // Every point's nearest neighbour in the map is of its own class.
    let p = map.array(of: Double.self)
    for i in 0..<45 {
        let nearest = (0..<45).filter { $0 != i }.min { a, b in
            hypot(p[2 * a] - p[2 * i], p[2 * a + 1] - p[2 * i + 1]) < hypot(p[2 * b] - p[2 * i], p[2 * b + 1] - p[2 * i + 1])
        }!
        #expect(labels[nearest] == labels[i], "point \(i)")
    }
}

@Test func theEmbeddingPlotDrawsADotPerPointAndALegend() throws {
    let plot = try EmbeddingPlot(
        points: [0, 0, 1, 1, 2, 0.5], labels: [0, 1, 1], classNames: ["Walk", "Run & jump"], title: "test <map>")
    let svg = plot.svg()
    #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
    #expect(svg.components(separatedBy: "<circle").count - 1 == 3 + 2)
    #expect(svg.contains("Run &amp; jump") && svg.contains("test &lt;map&gt;"))
    #expect(throws: VisualizeError.self) { try EmbeddingPlot(points: [0, 0], labels: [2], classNames: ["a"], title: "") }
    #expect(throws: VisualizeError.self) { try EmbeddingPlot(points: [.nan, 0], labels: [0], classNames: ["a"], title: "") }
}
