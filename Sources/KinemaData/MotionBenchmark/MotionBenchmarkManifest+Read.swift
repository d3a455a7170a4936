import Foundation

extension MotionBenchmarkManifest {
    /// The file name `kinema make-dataset` writes into the benchmark folder.
    public static let fileName = "manifest.json"

    /// Reads `folder/manifest.json`, the exact parameters of a made benchmark.
    public static func read(from folder: URL) throws(MotionBenchmarkError) -> MotionBenchmarkManifest {
        let file = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw MotionBenchmarkError(
                "\(folder.path) has no \(fileName): not a benchmark made by `kinema make-dataset` (or made before manifests existed)")
        }
        do {
            return try JSONDecoder().decode(MotionBenchmarkManifest.self, from: Data(contentsOf: file))
        } catch {
            throw MotionBenchmarkError("cannot read \(file.path) as a motion benchmark manifest: \(error)")
        }
    }

    /// Throws unless `assets` hold, at the indices `entry`'s clip uses, the sprites and background
    /// the manifest names: rendering with other images would draw other objects than the videos show.
    public func check(_ assets: MotionBenchmarkAssets, for entry: ClipEntry) throws(MotionBenchmarkError) {
        let clip = entry.parameters
        var uses = [(entry.sprite, clip.actor.sprite)]
        if let name = entry.companionSprite, let companion = clip.companion { uses.append((name, companion.sprite)) }
        // The indices come from the manifest's text: a negative one is as possible as a large one.
        let held = 0..<assets.spriteCount
        for (name, index) in uses where !held.contains(index) || assets.spriteName(index) != name {
            let found = held.contains(index) ? "'\(assets.spriteName(index))'" : "nothing"
            throw MotionBenchmarkError(
                "\(entry.path) uses sprite \(index) '\(name)', the assets have \(found) there: pass the assets the benchmark was made with")
        }
        if let name = entry.background, let view = clip.background,
            !(assets.backgroundNames.indices.contains(view.image) && assets.backgroundNames[view.image] == name)
        {
            throw MotionBenchmarkError(
                "\(entry.path) uses background \(view.image) '\(name)', the assets differ: pass the assets the benchmark was made with")
        }
    }
}
