import KinemaMotion

/// The short-term motion target of one tubelet for MME's baselines (Sun et al. 2023 §4.2.2,
/// appendix C; ``MMETargetConfiguration/ShortTermMotion``), from the flow of the tubelet's last
/// sampled frame to the next raw frame.
enum MMEShortTermFeatures {
    /// The values on a `grid × grid` layout of the clip, `[grid²][perPoint]`, whose `side × side`
    /// blocks are the tokens: pixels for flow, `g × g` cells for the histograms.
    struct Layout {
        var values: [Float]
        var perPoint: Int
        var grid: Int
        var side: Int
    }

    /// `flow` is the flow-frame flow (the crop, mirrored with the clip) as the tracker receives it.
    static func values(_ configuration: MMETargetConfiguration, flow: FlowField, geometry: MMEClipGeometry) throws(MMETargetError) -> Layout {
        let c = configuration
        let (size, g, bins) = (geometry.clipSize, c.gridStep, c.hogBins)
        do {
            let clipFlow = try flow.resized(width: size, height: size)
            // The released extractor pools its histograms with a g × g mean (AvgPool2d).
            func cellMeans(_ histogram: IntegralHistogram) -> [Double] { histogram.cellGrid(cell: g).map { $0 / Double(g * g) } }
            switch c.shortTerm {
            case .none:
                return Layout(values: [], perPoint: 0, grid: size / g, side: c.pointsPerSide)
            case .flow:
                return Layout(values: clipFlow.vectors, perPoint: 2, grid: size, side: c.patch)
            case .hof:
                let hof = try IntegralHistogram(flow: clipFlow, bins: bins, zeroBinThreshold: nil, fullCircle: c.flowHistogramFullCircle)
                return Layout(values: cellMeans(hof).map(Float.init), perPoint: bins, grid: size / g, side: c.pointsPerSide)
            case .mbh:
                var components: [[Double]] = []
                for component in [IntegralHistogram.FlowComponent.x, .y] {
                    components.append(cellMeans(try IntegralHistogram(
                        motionBoundariesOf: clipFlow, component: component, bins: bins, kernel: .sobel, fullCircle: c.flowHistogramFullCircle)))
                }
                var values: [Float] = []
                values.reserveCapacity(2 * components[0].count)
                for cell in 0..<(components[0].count / bins) {
                    for histogram in components { values += histogram[(cell * bins)..<((cell + 1) * bins)].map(Float.init) }
                }
                return Layout(values: values, perPoint: 2 * bins, grid: size / g, side: c.pointsPerSide)
            }
        } catch { throw MMETargetError("MME short-term motion target: \(error)") }
    }
}
