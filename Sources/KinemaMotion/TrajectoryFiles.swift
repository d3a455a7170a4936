import Foundation

extension TrajectorySet {
    /// Writes trajectory sets of one grid and length as a safetensors file, readable with
    /// `safetensors.numpy.load_file`: "positions" F32 `[sets, points, L + 1, 2]` (x, y),
    /// "flags" U8 `[sets, points]` (``TrajectoryFlags`` bits), "start_frames" I64 `[sets]`, and the
    /// grid (rows, columns, grid_step, length) in the metadata.
    public static func write(_ sets: [TrajectorySet], to url: URL, metadata: [String: String] = [:]) throws(MotionError) {
        let op = "writing trajectories"
        guard let first = sets.first else { throw MotionError(op, .invalidParameter("no trajectory sets to write")) }
        guard sets.allSatisfy({ $0.rows == first.rows && $0.columns == first.columns && $0.length == first.length && $0.gridStep == first.gridStep }) else {
            throw MotionError(op, .sizeMismatch("all sets of a file must share grid and length"))
        }
        var positions = Data(capacity: sets.count * first.positions.count * 4)
        var flags = Data(capacity: sets.count * first.count)
        var starts = Data(capacity: sets.count * 8)
        for set in sets {
            for value in set.positions { positions.appendLittleEndian(value.bitPattern) }
            flags.append(contentsOf: set.flags.map(\.rawValue))
            starts.appendLittleEndian(Int64(set.startFrame))
        }
        var info = metadata
        (info["rows"], info["columns"], info["grid_step"], info["length"]) = (
            "\(first.rows)", "\(first.columns)", "\(first.gridStep)", "\(first.length)")
        let data = SafetensorsFile.encode([
            .init(name: "positions", dtype: "F32", shape: [sets.count, first.count, first.length + 1, 2], data: positions),
            .init(name: "flags", dtype: "U8", shape: [sets.count, first.count], data: flags),
            .init(name: "start_frames", dtype: "I64", shape: [sets.count], data: starts),
        ], metadata: info)
        try writeFile(data, url, op)
    }

    /// Reads a file written by ``write(_:to:metadata:)``.
    public static func read(_ url: URL) throws(MotionError) -> [TrajectorySet] {
        let op = "reading trajectories"
        func bad(_ why: String) -> MotionError { MotionError(op, .badFile(path: url.path, why: why)) }
        let data = try readFile(url, op)
        let tensors: [String: SafetensorsFile.Tensor]
        let metadata: [String: String]
        do { (tensors, metadata) = (try SafetensorsFile.decode(data), try SafetensorsFile.metadata(data)) } catch { throw bad(error.why) }
        guard let rows = metadata["rows"].flatMap(Int.init), let columns = metadata["columns"].flatMap(Int.init),
            let step = metadata["grid_step"].flatMap(Int.init), let length = metadata["length"].flatMap(Int.init)
        else { throw bad("metadata lacks rows, columns, grid_step or length") }
        // The grid is the file's claim: bounded before the sizes below are computed from it.
        let limit = FlowField.largestFileSide
        guard (1...limit).contains(rows), (1...limit).contains(columns), (1...limit).contains(step), (0...limit).contains(length)
        else { throw bad("implausible grid: rows \(rows), columns \(columns), grid_step \(step), length \(length)") }
        guard let positions = tensors["positions"], positions.dtype == "F32", let flags = tensors["flags"], flags.dtype == "U8",
            let starts = tensors["start_frames"], starts.dtype == "I64", positions.shape.count == 4,
            positions.shape[1] == rows * columns, positions.shape[2] == length + 1, positions.shape[3] == 2,
            flags.shape == [positions.shape[0], rows * columns], starts.shape == [positions.shape[0]]
        else { throw bad("expected positions F32 [sets, rows·columns, L + 1, 2], flags U8 and start_frames I64") }
        let perSet = rows * columns * (length + 1) * 2
        return (0..<positions.shape[0]).map { s in
            let values = (0..<perSet).map { Float(bitPattern: positions.data.littleEndianUInt32(at: 4 * (s * perSet + $0))) }
            let start = Int(Int64(bitPattern: UInt64(starts.data.littleEndianUInt32(at: 8 * s)) | UInt64(starts.data.littleEndianUInt32(at: 8 * s + 4)) << 32))
            let f = flags.data[(flags.data.startIndex + s * rows * columns)..<(flags.data.startIndex + (s + 1) * rows * columns)]
            return TrajectorySet(startFrame: start, length: length, rows: rows, columns: columns, gridStep: step, positions: values,
                                 flags: f.map { TrajectoryFlags(rawValue: $0) })
        }
    }
}
