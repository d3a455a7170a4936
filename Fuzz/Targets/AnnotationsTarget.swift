import Foundation
import KinemaData

/// The rest of the input as a dataset's annotation files (or the motion benchmark's IDX images,
/// the one binary dataset file Kinema reads itself); `scratch` stands for the video folder
/// too (empty of videos, so every row is parsed and then reported missing). Accepted means every
/// row parsed and only its video was missing.
func fuzzAnnotations(_ input: Data, scratch: URL) -> Bool {
    let (choice, bytes) = choose(input, among: 6)
    // UCF101 and Something-Something v2 read two files: the input holds both, NUL between them.
    let parts = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    let (first, second) = (Data(parts.first ?? Data()), Data(parts.count > 1 ? parts[1] : Data()))
    let named: URL
    do throws(DatasetError) {
        switch choice {
        case 0:
            let classes = scratchFile("classInd.txt", first, in: scratch)
            named = scratchFile("trainlist01.txt", second, in: scratch)
            do { _ = try VideoDataset.ucf101ClassNames(classes) } catch { return expectNames(classes, error) }
            _ = try VideoDataset.ucf101(videos: scratch, splits: scratch, split: 1, subset: .train)
        case 1:
            named = scratch.appendingPathComponent("hmdb51")
            try? FileManager.default.createDirectory(at: named, withIntermediateDirectories: true)
            _ = scratchFile("brush_hair_test_split1.txt", bytes, in: named)
            _ = try VideoDataset.hmdb51(videos: scratch, splits: named, split: 1, subset: .train)
        case 2:
            named = scratchFile("train.csv", bytes, in: scratch)
            _ = try VideoDataset.kinetics(csv: named, videos: scratch)
        case 3:
            let labels = scratchFile("labels.json", first, in: scratch)
            named = scratchFile("train.json", second, in: scratch)
            do { _ = try VideoDataset.somethingSomethingV2ClassNames(labels) } catch { return expectNames(labels, error) }
            _ = try VideoDataset.somethingSomethingV2(labels: labels, annotations: named, videos: scratch)
        case 4:
            named = scratchFile("list.txt", bytes, in: scratch)
            _ = try VideoDataset.pathLabelList(named, root: scratch)
        default:
            let idx = scratchFile("images-idx3-ubyte", bytes, in: scratch)
            do { _ = try IDXImages(contentsOf: idx) } catch { return expectNames(idx, error) }
            return true
        }
    } catch {
        _ = expectNames(named, error)
        return onlyVideosMissing(error)
    }
    return true
}

/// Whether the dataset was refused only because the rows' videos are not on disk (the error lists
/// the first skipped rows, one per line).
private func onlyVideosMissing(_ error: DatasetError) -> Bool {
    let rows = error.message.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("  … and") }
    return error.message.hasPrefix("no usable video") && rows.allSatisfy { $0.contains("does not exist") }
}
