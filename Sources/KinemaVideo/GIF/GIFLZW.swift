/// The variable-length-code LZW compression of GIF image data (GIF89a specification, appendix F):
/// codes start at `minimumCodeSize + 1` bits and grow to 12; a clear code restarts the table when
/// it is full. Codes are packed least-significant bit first.
enum GIFLZW {
    static func compress(_ indices: [UInt8], minimumCodeSize: Int) -> [UInt8] {
        precondition((2...8).contains(minimumCodeSize))
        let clear = 1 << minimumCodeSize, end = clear + 1
        var output = [UInt8]()
        output.reserveCapacity(indices.count + 16)
        var bits = BitPacker(codeSize: minimumCodeSize + 1)
        // table[prefix · 256 + byte] = code of (prefix string + byte); 0 = absent (assigned codes
        // start after `end`, so 0 is never one).
        var table = [UInt16](repeating: 0, count: 4096 * 256)
        table.withUnsafeMutableBufferPointer { table in
            indices.withUnsafeBufferPointer { input in
                var nextCode = end + 1
                bits.emit(clear, into: &output)
                guard var prefix = input.first.map(Int.init) else { return }
                for i in 1..<input.count {
                    let byte = Int(input[i])
                    let key = prefix << 8 | byte
                    let known = Int(table[key])
                    if known != 0 {
                        prefix = known
                        continue
                    }
                    bits.emit(prefix, into: &output)
                    if nextCode < 4096 {
                        table[key] = UInt16(nextCode)
                        nextCode += 1
                        // The decoder learns each entry one code later, so the code width grows once
                        // the entry 2^codeSize exists.
                        if nextCode > (1 << bits.codeSize) && bits.codeSize < 12 { bits.codeSize += 1 }
                    } else {
                        bits.emit(clear, into: &output)
                        table.update(repeating: 0)
                        bits.codeSize = minimumCodeSize + 1
                        nextCode = end + 1
                    }
                    prefix = byte
                }
                bits.emit(prefix, into: &output)
            }
        }
        bits.emit(end, into: &output)
        bits.flush(into: &output)
        return output
    }

    /// Packs codes of the current width, least-significant bit first.
    private struct BitPacker {
        var codeSize: Int
        private var buffer = 0
        private var count = 0

        init(codeSize: Int) { self.codeSize = codeSize }

        mutating func emit(_ code: Int, into output: inout [UInt8]) {
            buffer |= code << count
            count += codeSize
            while count >= 8 {
                output.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                count -= 8
            }
        }

        mutating func flush(into output: inout [UInt8]) {
            if count > 0 { output.append(UInt8(truncatingIfNeeded: buffer)) }
            (buffer, count) = (0, 0)
        }
    }
}
